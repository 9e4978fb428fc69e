/**
 * Measurement script, not a test: time and memory to generate a UCF101-sized synthetic set, and
 * the nearest-class-mean accuracies per modality on it. Run: npx tsx test/data/measure-ucf101-synthetic.ts
 */
import { buildSyntheticDataset } from '../../src/data/synthetic.js';
import { ucf101SizedParams } from '../../src/data/synthetic-presets.js';
import { meanOver, ncmAccuracy } from './nearest-class-mean.js';

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const before = process.memoryUsage();
const start = process.hrtime.bigint(); // wall-clock ok (measurement script)
const cpuStart = process.cpuUsage();
const ds = buildSyntheticDataset(ucf101SizedParams({ seed: 1 }));
const seconds = Number(process.hrtime.bigint() - start) / 1e9; // wall-clock ok
const cpu = process.cpuUsage(cpuStart);
const after = process.memoryUsage();
const { store, split } = ds;
const featureBytes = store.audio.data.byteLength + store.video!.data.byteLength;
console.log(`samples ${store.numSamples}, classes ${store.numClasses}, clients ${split.clients.length}`);
console.log(`audio [${store.audio.frames}, ${store.audio.dims}], video [${store.video!.frames}, ${store.video!.dims}]`);
console.log(`generate + split: ${seconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
console.log(`feature bytes ${mb(featureBytes)}; rss +${mb(after.rss - before.rss)}, arrayBuffers +${mb(after.arrayBuffers - before.arrayBuffers)}`);
const sizes = split.clients.map((c) => c.train.length).sort((a, b) => a - b);
console.log(`train ${sizes.reduce((a, b) => a + b, 0)}, dev ${split.dev.length}, test ${split.test.length}; client sizes min ${sizes[0]} median ${sizes[sizes.length >> 1]} max ${sizes[sizes.length - 1]}`);
console.log(`clients without video: ${split.clients.filter((c) => !c.hasVideo).length}`);
const train = split.clients.flatMap((c) => c.train);
const dominant = ds.classes.filter((k) => k.audioDominant).map((k) => k.index);
const others = ds.classes.filter((k) => !k.audioDominant).map((k) => k.index);
for (const input of ['audio', 'video', 'both'] as const) {
  const r = ncmAccuracy(store, train, split.test, input);
  const f = (x: number) => x.toFixed(3);
  console.log(`NCM ${input}: overall ${f(r.overall)}, dominant ${f(meanOver(r.perClass, dominant))}, others ${f(meanOver(r.perClass, others))}`);
}
