// The one browser the tests and the bench can use here: Debian's Chromium, driven by
// playwright-core. These flags keep it from reaching for the network, which is closed.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebGPU is a software adapter (SwiftShader) here; it is one of the backends measured.
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
];
