// Every optional backend the trainer may probe and use; the cpu and webgl backends come with '@tensorflow/tfjs'.
import './register-wasm';
import './register-webgpu';
