// ONNX Runtime side of the peer comparison (run by run.sh): times the exported LSTM models on the CPU provider.
// usage: node ort.js DIR   (NODE_PATH must reach onnxruntime-node; THREADS, SHAPES, STEPS as in peers.py)
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const GRID = ['16x32/1', '32x64/1', '64x128/1', '64x128/32', '128x256/32', '256x512/1', '256x512/32'];
const shapes = (process.env.SHAPES || GRID.join(',')).split(',');
const steps = parseInt(process.env.STEPS || '100', 10);
const threads = parseInt(process.env.THREADS || '1', 10);

function readFloats(file) {
  const buffer = fs.readFileSync(file);
  return new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4);
}

async function medianTime(call, seconds = 0.4) {
  // Median seconds per call: warm-up for a quarter of the budget, then 7 samples of n calls.
  let start = process.hrtime.bigint();
  let calls = 0;
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  while (calls < 3 || elapsed() < seconds / 4) { await call(); calls++; }
  const perCall = elapsed() / calls;
  const n = Math.max(1, Math.floor(seconds / 7 / perCall));
  const samples = [];
  for (let s = 0; s < 7; s++) {
    start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await call();
    samples.push(elapsed() / n);
  }
  samples.sort((a, b) => a - b);
  return samples[3];
}

(async () => {
  const dir = process.argv[2];
  const timings = {};
  for (const shape of shapes) {
    const [dh, b] = shape.split('/');
    const [d, h] = dh.split('x').map(Number);
    const stem = path.join(dir, `${d}x${h}_${b}`);
    const session = await ort.InferenceSession.create(stem + '.onnx', {
      intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
    });
    const x = new ort.Tensor('float32', readFloats(stem + '.x'), [steps, Number(b), d]);
    const feeds = { [session.inputNames[0]]: x };
    const result = await session.run(feeds);
    const y = result[session.outputNames[0]].data;  // [T, 1, B, H] or [T, B, H]: the same element order
    fs.writeFileSync(stem + '.ort.out', Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    const seconds = await medianTime(() => session.run(feeds));
    timings[shape] = { inference_us: seconds * 1e6 };
    console.error(`ort ${shape}: inference ${(seconds * 1e6).toFixed(1)} us`);
  }
  fs.writeFileSync(path.join(dir, 'ort.json'), JSON.stringify(timings));
})().catch((e) => { console.error(e); process.exit(1); });
