export { cellText, jsonValue } from './cell-text.js';
export { formatCsv } from './format-csv.js';
export { formatJsonLines } from './format-json-lines.js';
export { formatTable } from './format-table.js';
