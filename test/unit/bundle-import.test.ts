// Every rule the bundle importer applies before anything is stored, on a real bundle (a small trained penguin model
// exported by buildBundleFiles) and on copies of it corrupted one fault at a time: each refusal names the file and
// what was wrong.

import { deflateSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleRefusal, LIMITS, readBundle, readDirectory } from '../../src/core/deliver/import';
import { sha256Hex } from '../../src/core/data/hash';
import { cappedInflate } from '../../src/platform/bundle-inflate';
import { sourceBundle, type SourceBundle } from '../fixtures/bundle';

let source: SourceBundle;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

beforeAll(async () => {
  source = await sourceBundle();
}, 120_000);

type Files = Record<string, Uint8Array>;
type Json = Record<string, any>;

function zip(files: Files): Uint8Array {
  return zipSync(files, { level: 6 });
}

function json(name: string, files: Files = source.files): Json {
  return JSON.parse(decoder.decode(files[name]));
}

/** The bundle with one JSON file changed. */
function withJson(name: string, change: (value: Json) => unknown): Files {
  return { ...source.files, [name]: encoder.encode(JSON.stringify(change(json(name)))) };
}

async function refusal(bytes: Uint8Array, limits = LIMITS): Promise<string> {
  try {
    await readBundle(bytes, cappedInflate, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleRefusal);
    return (e as Error).message;
  }
  throw new Error('the bundle was accepted');
}

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

/** The offset of `name`'s central directory record in `bytes`. */
function centralRecord(bytes: Uint8Array, name: string): number {
  const key = encoder.encode(name);
  for (let at = bytes.length - 22; at >= 0; at--) {
    if (u32(bytes, at) === 0x02014b50 && bytes[at + 28] === key.length && key.every((c, i) => bytes[at + 46 + i] === c)) return at;
  }
  throw new Error(`no central record for ${name}`);
}

describe('a bundle as exported', () => {
  it('is read back whole: model, weights, preprocessing, recipes, format, metrics, lineage and card', async () => {
    const bytes = zip(source.files);
    const bundle = await readBundle(bytes, cappedInflate);
    expect(bundle.preprocessor).toEqual(source.result.preprocessor);
    expect(new Uint8Array(bundle.weights)).toEqual(new Uint8Array(source.result.model.weights));
    expect(bundle.weightSpecs).toEqual(source.result.model.weightSpecs);
    expect(bundle.topology).toEqual(source.result.model.topology);
    expect(bundle.recipes).toEqual([]);
    expect(bundle.format).toEqual({ number: { decimal: '.', thousands: '' }, dayFirst: false });
    expect(bundle.evaluation).toEqual(source.result.evaluation);
    expect(bundle.history).toHaveLength(source.result.history.length);
    expect(bundle.params).toEqual(source.input.run.params);
    expect(bundle.lineage).toMatchObject({
      project: { id: 'p-source', name: 'Penguin species' },
      dataset: { id: source.data.id, name: 'penguins' },
      run: { id: 'run-source', name: 'mlp 1x16', startedAt: 1_700_000_001_000 },
      model: { name: 'penguin-species', version: 3 },
      exportedAt: 1_700_000_004_000,
    });
    expect(bundle.card).toBe(decoder.decode(source.files['MODEL_CARD.md']));
    expect(bundle.bundleSha256).toBe(await sha256Hex(bytes));
  });

  it('is read whether entries are stored or deflated, and extra files are ignored', async () => {
    const stored = zipSync({ ...source.files, 'notes/extra.txt': encoder.encode('hello') }, { level: 0 });
    await expect(readBundle(stored, cappedInflate)).resolves.toMatchObject({ card: expect.stringContaining('penguin-species') });
  });
});

describe('zip limits, before anything is inflated', () => {
  it('refuses what is not a zip', async () => {
    expect(await refusal(encoder.encode('just some text, long enough to be looked at'))).toMatch(/is not a zip: it has no end-of-directory record/);
  });

  it('refuses too many entries', async () => {
    const many: Files = { ...source.files };
    for (let i = 0; i < LIMITS.entries; i++) many[`extra/${i}.txt`] = encoder.encode('x');
    expect(await refusal(zip(many))).toMatch(/the zip has 1\d\d entries; a bundle has at most 100/);
  });

  it('refuses a zip bomb by its declared size', async () => {
    const bomb = zip({ ...source.files, 'examples.json': new Uint8Array(LIMITS.entryBytes + 1) });
    expect(await refusal(bomb)).toBe('entry examples.json declares 33,554,433 bytes inflated; one file may be at most 33,554,432');
  });

  it('refuses files that together declare more than the total cap', async () => {
    const limits = { ...LIMITS, totalBytes: 200_000 };
    expect(await refusal(zip({ ...source.files, 'a.bin': new Uint8Array(120_000).fill(7), 'b.bin': new Uint8Array(120_000).fill(9) }), limits)).toMatch(
      /declare more than 200,000 bytes inflated together/,
    );
  });

  it('refuses a compression ratio no real file reaches', async () => {
    const zeros = zip({ ...source.files, 'examples.json': new Uint8Array(4 * 1024 * 1024) });
    expect(await refusal(zeros)).toMatch(/^entry examples\.json inflates \d+ times \([\d,]+ to 4,194,304 bytes\); at most 200 times is accepted/);
  });

  it('catches a declared size that lies: inflation stops at the declared size', async () => {
    const bytes = zip({ ...source.files, 'lineage.json': new Uint8Array(600_000) });
    const at = centralRecord(bytes, 'lineage.json');
    new DataView(bytes.buffer).setUint32(at + 24, 1000, true);
    expect(await refusal(bytes)).toBe('entry lineage.json inflates to more than the 1,000 bytes it declares');
  });

  it('catches damaged data by its CRC-32', async () => {
    const bytes = zip(source.files);
    const at = centralRecord(bytes, 'labels.json');
    new DataView(bytes.buffer).setUint32(at + 16, 12345, true);
    expect(await refusal(bytes)).toBe('entry labels.json fails its CRC-32 check: the zip is damaged');
  });

  it.each([
    ['../evil.txt', 'entry ../evil.txt climbs out of the bundle'],
    ['model/../../evil.txt', 'entry model/../../evil.txt climbs out of the bundle'],
    ['/etc/passwd', 'entry /etc/passwd is an absolute path'],
    ['C:/evil.txt', 'entry C:/evil.txt is an absolute path'],
    ['model\\evil.txt', 'entry model\\evil.txt has a backslash in its path (zip paths use /)'],
    ['model//x.bin', 'entry model//x.bin has an empty or "." path segment'],
  ])('refuses the path %s', async (path, message) => {
    expect(await refusal(zip({ ...source.files, [path]: encoder.encode('x') }))).toBe(message);
  });

  it('refuses a name that appears twice', async () => {
    const bytes = zip(source.files);
    // check.js and dates.js have names of the same length: the directory is made to list dates.js twice.
    encoder.encodeInto('dates.js', bytes.subarray(centralRecord(bytes, 'check.js') + 46));
    expect(await refusal(bytes)).toBe('entry dates.js appears twice in the zip');
  });

  it('refuses encrypted entries and unknown compression methods', async () => {
    const bytes = zip(source.files);
    const view = new DataView(bytes.buffer);
    view.setUint16(centralRecord(bytes, 'README.md') + 8, 1, true);
    expect(await refusal(bytes)).toBe('entry README.md is encrypted; a bundle is not');
    const other = zip(source.files);
    new DataView(other.buffer).setUint16(centralRecord(other, 'README.md') + 10, 12, true);
    expect(await refusal(other)).toBe('entry README.md uses compression method 12; only stored (0) and deflate (8) are read');
  });

  it('lists entries from the directory alone', () => {
    const names = readDirectory(zip(source.files)).map((e) => e.name);
    expect(names).toContain('model/group1-shard1of1.bin');
    expect(names).toHaveLength(Object.keys(source.files).length);
  });

  it('the capped inflater stops early on a bomb, far below its full size', () => {
    const bomb = deflateSync(new Uint8Array(50 * 1024 * 1024));
    expect(cappedInflate(bomb, 1000)).toBeNull();
    expect(cappedInflate(deflateSync(encoder.encode('hello')), 5)).toEqual(encoder.encode('hello'));
  });
});

describe('model.json', () => {
  const shard = 'model/group1-shard1of1.bin';

  it('refuses a weight shard shorter than the manifest needs', async () => {
    const need = source.files[shard]!.length;
    expect(await refusal(zip({ ...source.files, [shard]: source.files[shard]!.slice(0, need - 100) }))).toBe(
      `model/group1-shard1of1.bin is ${(need - 100).toLocaleString('en')} bytes but model.json's weights need ${need.toLocaleString('en')}`,
    );
  });

  it('refuses a manifest that names a shard the bundle does not hold', async () => {
    const files = { ...source.files };
    delete files[shard];
    expect(await refusal(zip(files))).toBe("model/model.json's weightsManifest names group1-shard1of1.bin, which the bundle does not hold");
  });

  it('refuses a shard path that leaves the model folder', async () => {
    const files = withJson('model/model.json', (m) => ({ ...m, weightsManifest: [{ ...m.weightsManifest[0], paths: ['../labels.json'] }] }));
    expect(await refusal(zip(files))).toMatch(/names shard "\.\.\/labels\.json"; a shard is a plain file name beside model\.json/);
  });

  it('refuses another format than layers-model', async () => {
    expect(await refusal(zip(withJson('model/model.json', (m) => ({ ...m, format: 'graph-model' }))))).toBe(
      'model/model.json: format is "graph-model"; only "layers-model" is imported',
    );
  });

  it('refuses dtypes other than float32 and int32', async () => {
    const files = withJson('model/model.json', (m) => {
      m.weightsManifest[0].weights[1].dtype = 'float16';
      return m;
    });
    expect(await refusal(zip(files))).toMatch(/^model\/model\.json: weight \S+\/bias has dtype float16; only float32 and int32 are imported$/);
  });

  it('refuses a layer class outside the allowlist', async () => {
    const files = withJson('model/model.json', (m) => {
      m.modelTopology.config.layers[1].class_name = 'Lambda';
      return m;
    });
    expect(await refusal(zip(files))).toBe('layer class Lambda is not allowed (allowed: InputLayer, Dense, Dropout, Flatten, Conv2D, MaxPooling2D)');
  });

  it('refuses a functional model, an unknown initialiser and a regulariser', async () => {
    const functional = withJson('model/model.json', (m) => ({ ...m, modelTopology: { ...m.modelTopology, class_name: 'Model' } }));
    expect(await refusal(zip(functional))).toBe('model/model.json: the model is a "Model"; only Sequential models are imported');
    const initialiser = withJson('model/model.json', (m) => {
      m.modelTopology.config.layers[0].config.kernel_initializer = { class_name: 'Evil', config: {} };
      return m;
    });
    expect(await refusal(zip(initialiser))).toMatch(/names class Evil at config\.kernel_initializer, which is not allowed/);
    const regulariser = withJson('model/model.json', (m) => {
      m.modelTopology.config.layers[0].config.kernel_regularizer = { class_name: 'L1L2', config: { l1: 0, l2: 0.1 } };
      return m;
    });
    expect(await refusal(zip(regulariser))).toMatch(/sets kernel_regularizer, which an imported model may not/);
  });

  it('refuses an activation it does not know', async () => {
    const files = withJson('model/model.json', (m) => {
      m.modelTopology.config.layers[0].config.activation = 'gelu_new';
      return m;
    });
    expect(await refusal(zip(files))).toMatch(/has activation "gelu_new"; allowed: relu, tanh, sigmoid, elu, softmax, linear/);
  });

  it('refuses a manifest that lies about shapes, even when the byte count still adds up', async () => {
    const pre = source.result.preprocessor;
    const files = withJson('model/model.json', (m) => {
      const kernel = m.weightsManifest[0].weights[0];
      kernel.shape = [...kernel.shape].reverse();
      return m;
    });
    const first = source.result.model.weightSpecs[0]!.name.split('/')[0];
    expect(await refusal(zip(files))).toBe(
      `model/model.json: weight ${first}/kernel has shape [16, ${pre.inputSize}] but layer ${first} (Dense, 16 units on ${pre.inputSize} inputs) needs [${pre.inputSize}, 16]`,
    );
  });

  it('refuses a topology whose output does not match the labels', async () => {
    const files = withJson('model/model.json', (m) => {
      const layers = m.modelTopology.config.layers;
      layers[layers.length - 1].config.units = 4;
      const weights = m.weightsManifest[0].weights;
      weights[weights.length - 2].shape = [16, 4];
      weights[weights.length - 1].shape = [4];
      return m;
    });
    expect(await refusal(zip(files))).toBe('model/model.json: the model outputs [batch, 4] but preprocessing.json expects 3 labels');
  });

  it('refuses a topology whose input is not the preprocessing width', async () => {
    const pre = source.result.preprocessor;
    const files = withJson('model/model.json', (m) => {
      m.modelTopology.config.layers[0].config.batch_input_shape = [null, pre.inputSize + 1];
      m.weightsManifest[0].weights[0].shape = [pre.inputSize + 1, 16];
      return m;
    });
    expect(await refusal(zip(files))).toBe(`model/model.json: the model reads inputs of shape [batch, ${pre.inputSize + 1}] but preprocessing.json encodes [batch, ${pre.inputSize}]`);
  });

  it('refuses a weight the manifest leaves out', async () => {
    const files = withJson('model/model.json', (m) => {
      m.weightsManifest[0].weights.pop();
      return m;
    });
    expect(await refusal(zip(files))).toMatch(/^model\/model\.json: the manifest has no weight \S+\/bias, which layer/);
  });
});

describe('the JSON files and their cross-checks', () => {
  it('refuses a missing file', async () => {
    const files = { ...source.files };
    delete files['lineage.json'];
    expect(await refusal(zip(files))).toMatch(/^the zip has no lineage\.json: it is not a Loopbench export bundle/);
  });

  it('refuses a file that is not JSON', async () => {
    expect(await refusal(zip({ ...source.files, 'metrics.json': encoder.encode('{ nope') }))).toMatch(/^metrics\.json is not valid JSON: /);
  });

  it('refuses preprocessing.json that does not match model.json\'s recipe hash', async () => {
    const files = withJson('preprocessing.json', (p) => ({ ...p, targetMean: 1 }));
    expect(await refusal(zip(files))).toMatch(/^model\/model\.json says the recipe hash is [0-9a-f]{12}… but preprocessing\.json hashes to [0-9a-f]{12}…$/);
  });

  it('refuses preprocessing.json of the wrong shape, naming the field', async () => {
    const at = source.result.preprocessor.features.findIndex((f) => f.kind === 'number');
    const files = withJson('preprocessing.json', (p) => {
      p.features[at].mean = 'heavy';
      return p;
    });
    expect(await refusal(zip(files))).toMatch(new RegExp(`^preprocessing\\.json field features\\.${at}\\.mean: Invalid type: Expected number but received "heavy"$`));
  });

  it('refuses an inputSize its features do not encode', async () => {
    const files = withJson('preprocessing.json', (p) => ({ ...p, inputSize: p.inputSize + 2 }));
    const width = source.result.preprocessor.inputSize;
    expect(await refusal(zip(files))).toBe(`preprocessing.json: inputSize is ${width + 2} but its features encode ${width} inputs`);
  });

  it('refuses labels.json that disagrees with the preprocessing', async () => {
    expect(await refusal(zip(withJson('labels.json', (l) => [...(l as unknown as string[])].reverse())))).toBe(
      "labels.json does not list preprocessing.json's labels in the same order",
    );
  });

  it('refuses weights whose SHA-256 is not the one lineage.json records', async () => {
    const files = withJson('lineage.json', (l) => ({ ...l, weights: { ...l.weights, sha256: '0'.repeat(64) } }));
    expect(await refusal(zip(files))).toMatch(/^lineage\.json records weights of [\d,]+ bytes with SHA-256 000000000000… but the shards hold/);
  });

  it('refuses a recipe the recipe validator refuses', async () => {
    const input = source.data.schema;
    const recipe = { version: 1, input, output: input, steps: [{ kind: 'scale', column: 'Wingspan', method: 'standard', offset: 0, factor: 1 }] };
    const files = { ...withJson('recipes.json', () => [recipe]) };
    expect(await refusal(zip(files))).toBe('recipes.json recipe 1: Step 1 (column): there is no column "Wingspan" at this step');
  });

  it('refuses a fitted recipe without what it learned', async () => {
    const input = source.data.schema;
    const recipe = { version: 1, input, output: input, steps: [{ kind: 'scale', column: 'Beak Length (mm)', method: 'standard', offset: 0, factor: 0 }] };
    expect(await refusal(zip(withJson('recipes.json', () => [recipe])))).toMatch(/^recipes\.json recipe 1 step 1 \(scale\) field factor: must not be 0$/);
  });

  it('refuses a recipe chain that does not match the recipes', async () => {
    const input = source.data.schema;
    const recipe = { version: 1, input, output: input, steps: [{ kind: 'drop', columns: ['Sex'] }] };
    expect(await refusal(zip(withJson('recipes.json', () => [recipe])))).toMatch(/^lineage\.json's recipe chain \(1 versions\) does not end at its dataset after 1 recipe\(s\)$/);
  });

  it('refuses metrics of another task and lineage of another target', async () => {
    const metrics = withJson('metrics.json', (m) => ({ ...m, evaluation: { task: 'regression', mae: 1, rmse: 1, r2: 0, count: 3 } }));
    expect(await refusal(zip(metrics))).toBe('metrics.json evaluates a regression model; preprocessing.json is a classification');
    const lineage = withJson('lineage.json', (l) => ({ ...l, project: { ...l.project, target: 'Island' } }));
    expect(await refusal(zip(lineage))).toBe("lineage.json's project is a classification of Island, preprocessing.json a classification of Species");
  });

  it('refuses run parameters the app could not train or show', async () => {
    const files = withJson('lineage.json', (l) => ({ ...l, run: { ...l.run, params: { ...l.run.params, spec: { family: 'transformer' } } } }));
    expect(await refusal(zip(files))).toMatch(/^lineage\.json run\.params /);
  });

  it('refuses a model name the registry would refuse', async () => {
    const files = withJson('lineage.json', (l) => ({ ...l, model: { ...l.model, name: '' } }));
    expect(await refusal(zip(files))).toMatch(/^lineage\.json model\.name: /);
  });

  it('refuses a model card longer than a card may be', async () => {
    expect(await refusal(zip({ ...source.files, 'MODEL_CARD.md': encoder.encode('x'.repeat(50_001)) }))).toBe('MODEL_CARD.md has 50,001 characters; at most 50,000 are kept');
  });
});
