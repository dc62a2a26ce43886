// The ONNX export: `writeOnnx` gives the bytes of model.onnx for a trained model. Loaded on demand (bundle.ts imports
// it dynamically), so the protobuf runtime and the ONNX descriptor stay out of the first screen.
// gen/onnx_pb.ts is generated, never edited: protoc-gen-es 2.17.0 (`target=ts`, run by buf) from the onnx.proto that
// the `onnx` 1.23.1 Python wheel ships. Regenerate it the same way for a newer onnx.proto.

export { writeOnnx, ONNX_FILE, ONNX_IR_VERSION, ONNX_OPSET, ONNX_PRODUCER, TABULAR_INPUT, IMAGE_INPUT, CLASSIFICATION_OUTPUT, REGRESSION_OUTPUT } from './model';
export type { OnnxInput } from './model';
export { featureNames } from './feature-names';
