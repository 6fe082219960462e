// A plug-in that forgot `export default`.
export const score = { name: 'no-default' };
