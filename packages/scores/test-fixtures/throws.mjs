// A plug-in that fails while loading.
throw new Error('plug-in exploded at import time');
