/**
 * DynamoDB's size of an item, as its pricing counts it (developer guide, "Item sizes and
 * formats"): attribute names plus values — strings as UTF-8 bytes, numbers about one byte per two
 * digits plus one, booleans and nulls one byte, maps and lists 3 bytes plus one per element.
 */
const sizeOf = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + sizeOf(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + sizeOf(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + sizeOf(v), 0);
  return 0;
};

export const itemSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + sizeOf(value), 0);
