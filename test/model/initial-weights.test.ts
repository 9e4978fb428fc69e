import { describe, expect, it } from 'vitest';
import { glorotUniform, initialWeights, orthogonal } from '../../src/model/initial-weights.js';

describe('initial weights', () => {
  it('orthogonal gives orthonormal rows when rows < cols (a GRU recurrent kernel)', () => {
    const [rows, cols] = [4, 12];
    const m = orthogonal([rows, cols], 'k');
    for (let a = 0; a < rows; a++) {
      for (let b = 0; b < rows; b++) {
        let dot = 0;
        for (let c = 0; c < cols; c++) dot += m[a * cols + c] * m[b * cols + c];
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
  });

  it('orthogonal gives orthonormal columns when rows >= cols', () => {
    const [rows, cols] = [7, 3];
    const m = orthogonal([rows, cols], 'k');
    for (let a = 0; a < cols; a++) {
      for (let b = 0; b < cols; b++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += m[r * cols + a] * m[r * cols + b];
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
  });

  it('glorot uniform stays within sqrt(6 / (fanIn + fanOut)) with the receptive field counted', () => {
    const values = glorotUniform([5, 8, 32], 'g'); // conv: kernel 5, in 8, out 32
    const limit = Math.sqrt(6 / (5 * 8 + 5 * 32));
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.9 * limit);
  });

  it('pytorch (default): a pure function of the seed and the layer\'s own shapes; biases uniform too', () => {
    const shapes = { 'audio.gru/kernel': [3, 6], 'audio.gru/recurrent_kernel': [2, 6], 'audio.gru/bias': [2, 6] };
    const a = initialWeights(shapes, 's1');
    const b = initialWeights({ ...shapes, 'head.dense/kernel': [4, 4], 'head.dense/bias': [4] }, 's1');
    const c = initialWeights(shapes, 's2');
    for (const key of Object.keys(shapes)) expect(b[key], key).toEqual(a[key]);
    expect(c['audio.gru/kernel']).not.toEqual(a['audio.gru/kernel']);
    expect([...a['audio.gru/bias']].some((v) => v !== 0)).toBe(true);
    expect([...b['head.dense/bias']].every((v) => Math.abs(v) <= 0.5)).toBe(true); // 1/√4
    expect(() => initialWeights({ 'x.y/gamma': [2] }, 's')).toThrow(/x\.y\/gamma/);
    expect(() => initialWeights({ 'x.y/bias': [2] }, 's')).toThrow(/x\.y\/kernel/);
  });

  it('keras: a pure function of the seed and each key, biases zero', () => {
    const shapes = { 'audio.gru/kernel': [3, 6], 'audio.gru/recurrent_kernel': [2, 6], 'audio.gru/bias': [2, 6] };
    const a = initialWeights(shapes, 's1', 'keras');
    const b = initialWeights({ 'audio.gru/kernel': [3, 6] }, 's1', 'keras');
    const c = initialWeights(shapes, 's2', 'keras');
    expect(b['audio.gru/kernel']).toEqual(a['audio.gru/kernel']); // does not depend on the other keys
    expect(c['audio.gru/kernel']).not.toEqual(a['audio.gru/kernel']);
    expect([...a['audio.gru/bias']].every((v) => v === 0)).toBe(true);
    expect(() => initialWeights({ 'x.y/gamma': [2] }, 's', 'keras')).toThrow(/x\.y\/gamma/);
  });
});
