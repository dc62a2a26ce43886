// Registers the WebGPU backend (only where navigator.gpu exists). Imported only by worker entry points.
import '@tensorflow/tfjs-backend-webgpu';
