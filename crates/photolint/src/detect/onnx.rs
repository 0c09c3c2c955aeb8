//! The part of the ONNX file format (`onnx.proto`, protobuf) that the
//! bundled models use, decoded with prost: the graph's nodes, their
//! attributes, the constant tensors and the names of its inputs and
//! outputs. Fields the models do not use are skipped by the decoder; the
//! interpreter refuses any operation or attribute it does not implement,
//! so nothing unread can change a result silently. Tag numbers are those of
//! `onnx.proto` (ONNX 1.x, unchanged since IR version 3).

use prost::Message;

/// A model file: its graph.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct ModelProto {
    /// The computation.
    #[prost(message, optional, tag = "7")]
    pub graph: Option<GraphProto>,
}

/// A graph: nodes in an order where every input is computed before it is read.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct GraphProto {
    /// The operations.
    #[prost(message, repeated, tag = "1")]
    pub node: Vec<NodeProto>,
    /// Constant tensors (weights, shapes, scales).
    #[prost(message, repeated, tag = "5")]
    pub initializer: Vec<TensorProto>,
    /// Graph inputs (older files list the initializers here too).
    #[prost(message, repeated, tag = "11")]
    pub input: Vec<ValueInfoProto>,
    /// Graph outputs.
    #[prost(message, repeated, tag = "12")]
    pub output: Vec<ValueInfoProto>,
}

/// A named graph input or output (its type is not read: the interpreter
/// knows the shapes it runs).
#[derive(Clone, PartialEq, Message)]
pub(crate) struct ValueInfoProto {
    /// The value's name.
    #[prost(string, tag = "1")]
    pub name: String,
}

/// One operation.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct NodeProto {
    /// Names of the values read (an empty name is an omitted optional input).
    #[prost(string, repeated, tag = "1")]
    pub input: Vec<String>,
    /// Names of the values written.
    #[prost(string, repeated, tag = "2")]
    pub output: Vec<String>,
    /// The node's name, for messages.
    #[prost(string, tag = "3")]
    pub name: String,
    /// The operation, e.g. `Conv`.
    #[prost(string, tag = "4")]
    pub op_type: String,
    /// Its attributes.
    #[prost(message, repeated, tag = "5")]
    pub attribute: Vec<AttributeProto>,
}

/// A node attribute: one of a float, an integer, a string or a list.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct AttributeProto {
    /// The attribute's name, e.g. `strides`.
    #[prost(string, tag = "1")]
    pub name: String,
    /// A float value.
    #[prost(float, tag = "2")]
    pub f: f32,
    /// An integer value.
    #[prost(int64, tag = "3")]
    pub i: i64,
    /// A string value (bytes).
    #[prost(bytes = "vec", tag = "4")]
    pub s: Vec<u8>,
    /// A list of floats.
    #[prost(float, repeated, tag = "7")]
    pub floats: Vec<f32>,
    /// A list of integers.
    #[prost(int64, repeated, tag = "8")]
    pub ints: Vec<i64>,
}

/// A constant tensor: its shape, element type and values, either packed
/// little-endian in `raw_data` or in the typed list.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct TensorProto {
    /// The shape.
    #[prost(int64, repeated, tag = "1")]
    pub dims: Vec<i64>,
    /// Element type (1: float, 7: int64).
    #[prost(int32, tag = "2")]
    pub data_type: i32,
    /// Float values, when not in `raw_data`.
    #[prost(float, repeated, tag = "4")]
    pub float_data: Vec<f32>,
    /// 64-bit integer values, when not in `raw_data`.
    #[prost(int64, repeated, tag = "7")]
    pub int64_data: Vec<i64>,
    /// The tensor's name.
    #[prost(string, tag = "8")]
    pub name: String,
    /// The values as little-endian bytes.
    #[prost(bytes = "vec", tag = "9")]
    pub raw_data: Vec<u8>,
}

/// Decodes an ONNX model file.
pub(crate) fn read_model(bytes: &[u8]) -> Result<ModelProto, String> {
    ModelProto::decode(bytes).map_err(|e| format!("not a readable ONNX file: {e}"))
}
