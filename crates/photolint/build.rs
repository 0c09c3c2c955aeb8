//! For WebAssembly only: the face-mesh model, most of the browser page's
//! download, is stored deflated (2.43 MB -> about 1.4 MB) and inflated
//! when the model is first loaded. Native builds embed it as it is.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=models/face_landmark.onnx");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        return;
    }
    let model = std::fs::read("models/face_landmark.onnx")
        .expect("models/face_landmark.onnx is in the crate");
    let packed = miniz_oxide::deflate::compress_to_vec(&model, 9);
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("face_landmark.onnx.deflate"), packed).expect("OUT_DIR is writable");
}
