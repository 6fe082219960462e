// A plug-in whose default export does not implement the Score interface (inputs names an unknown input).
export default { name: 'malformed', summary: 'bad', inputs: ['pixels'], optionNames: [], create() {} };
