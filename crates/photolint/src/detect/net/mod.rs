//! A small, direct interpreter for the two models' graphs: the YuNet face
//! detector and the MediaPipe face mesh.
//!
//! Both are chains of plain layers: 3x3 convolutions (strided, depthwise,
//! or padded on the bottom and right only, as TFLite pads), 1x1
//! convolutions, ReLU or PReLU, 2x2 max pooling, nearest 2x upsampling,
//! additions, zero channels appended (the mesh's residual shortcuts), and
//! heads whose outputs are moved to row order (anchor by anchor) with a
//! sigmoid on the scores, or flattened. On the small
//! canvases photolint runs it on (about 100x130), a general ONNX runtime
//! spends most of its time on per-operation overhead and on its generic
//! border code for depthwise convolutions; run directly, as a few loops the
//! compiler vectorises, the same graph costs a fraction of that.
//!
//! The ONNX file is read with the project's own protobuf types
//! ([`crate::detect::onnx`]), and every node is checked when the net is built: an
//! operation or attribute this module does not implement exactly is an
//! error, never an approximation. Tests compare every output, and the
//! faces found from them, with tract's own run of the file.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::detect::onnx as pb;
use crate::kernels::lanes::LANES;

mod ops;
use ops::{add, add_prelu, conv, from_rows, map, max_pool, pad_channels, prelu, to_rows, upsample};

/// A feature map: `c` planes of `h` x `w`, plane after plane (CHW). After
/// [`Op::ToRows`] the same numbers are stored position by position (HWC).
#[derive(Debug, Clone)]
pub(crate) struct Map {
    /// Channels.
    pub c: usize,
    /// Height.
    pub h: usize,
    /// Width.
    pub w: usize,
    /// Values.
    pub data: Vec<f32>,
}

/// A convolution's weights and geometry.
#[derive(Debug)]
struct Conv {
    /// `cout` x (`cin` / `group`) x `k` x `k`.
    weight: Vec<f32>,
    bias: Vec<f32>,
    cin: usize,
    cout: usize,
    k: usize,
    stride: usize,
    pad: usize,
    /// Zero rows below and columns right of the map on top of `pad` (TFLite
    /// pads a stride-2 layer on those sides only).
    pad_end: usize,
    group: usize,
    /// A ReLU follows and nothing else reads the raw output: applied here.
    relu: bool,
    /// For 1x1 convolutions, the weights with the output channels along
    /// the lanes (see [`Across`]).
    across: Option<Across>,
}

/// A 1x1 convolution's weights rearranged for [`PointwiseAcross`]: for
/// each block of [`LANES`] output channels, each input channel's weights
/// into them (a panel of `cin` lane arrays); outputs past `cout` have zero
/// weights. The bias in the same blocks.
#[derive(Debug)]
struct Across {
    panels: Vec<[f32; LANES]>,
    bias: Vec<[f32; LANES]>,
}

impl Across {
    /// The rearranged weights of a 1x1 convolution (`cout` x `cin`).
    fn of(weight: &[f32], bias: &[f32], cin: usize, cout: usize) -> Across {
        let blocks = cout.div_ceil(LANES);
        let mut panels = vec![[0f32; LANES]; blocks * cin];
        for (o, row) in weight.chunks_exact(cin.max(1)).take(cout).enumerate() {
            for (i, &w) in row.iter().enumerate() {
                panels[(o / LANES) * cin + i][o % LANES] = w;
            }
        }
        let mut b = vec![[0f32; LANES]; blocks];
        for (o, &v) in bias.iter().take(cout).enumerate() {
            b[o / LANES][o % LANES] = v;
        }
        Across { panels, bias: b }
    }
}

#[derive(Debug)]
enum Op {
    Conv(Conv),
    Relu,
    /// Per-channel slopes for negative values.
    PRelu(Vec<f32>),
    /// Zero channels appended after the map's own.
    PadChannels(usize),
    /// Transpose NHWC -> NCHW (the mesh's input): the map arrives position
    /// by position and is stored plane after plane.
    FromRows,
    MaxPool2,
    Upsample2,
    Add,
    Sigmoid,
    /// Transpose NCHW -> NHWC.
    ToRows,
    /// Reshape to `[1, h*w, c]`: the data is already in that order.
    Keep,
    /// A ReLU folded into the convolution before it, or a PReLU into the
    /// addition before it: the value passes on.
    Pass,
    /// An addition whose only reader is a PReLU (these slopes), done in
    /// one pass.
    AddPRelu(Vec<f32>),
}

#[derive(Debug)]
struct Node {
    op: Op,
    inputs: Vec<usize>,
    output: usize,
    /// Values no later node reads: freed once this node has run.
    frees: Vec<usize>,
}

/// The YuNet graph, ready to run on any canvas whose sides are multiples of 32.
#[derive(Debug)]
pub(crate) struct Net {
    nodes: Vec<Node>,
    values: usize,
    input: usize,
    outputs: Vec<usize>,
}

/// One attribute of an ONNX node.
fn attr<'a>(node: &'a pb::NodeProto, name: &str) -> Option<&'a pb::AttributeProto> {
    node.attribute.iter().find(|a| a.name == name)
}

fn ints(node: &pb::NodeProto, name: &str) -> Vec<i64> {
    attr(node, name).map(|a| a.ints.clone()).unwrap_or_default()
}

fn text(node: &pb::NodeProto, name: &str) -> String {
    attr(node, name)
        .map(|a| String::from_utf8_lossy(&a.s).into_owned())
        .unwrap_or_default()
}

/// The float values of an initializer (raw little-endian or `float_data`).
fn floats(t: &pb::TensorProto) -> Result<Vec<f32>, String> {
    if t.data_type != 1 {
        return Err(format!("initializer {} is not float", t.name));
    }
    if !t.raw_data.is_empty() {
        return Ok(t
            .raw_data
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect());
    }
    Ok(t.float_data.clone())
}

/// The integer values of an int64 initializer (raw or `int64_data`).
fn int64s(t: &pb::TensorProto) -> Vec<i64> {
    if t.raw_data.is_empty() {
        return t.int64_data.clone();
    }
    t.raw_data
        .chunks_exact(8)
        .map(|b| i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect()
}

impl Net {
    /// Reads the graph from an ONNX file's bytes.
    pub(crate) fn from_onnx(bytes: &[u8]) -> Result<Net, String> {
        let model = pb::read_model(bytes)?;
        let graph = model.graph.ok_or("the model has no graph")?;
        let inits: HashMap<&str, &pb::TensorProto> = graph
            .initializer
            .iter()
            .map(|t| (t.name.as_str(), t))
            .collect();
        let mut ids: HashMap<String, usize> = HashMap::new();
        let input_name = graph
            .input
            .iter()
            .map(|i| i.name.as_str())
            .find(|n| !inits.contains_key(n))
            .ok_or("the model has no input")?;
        ids.insert(input_name.to_string(), 0);
        let mut nodes = Vec::new();
        for n in &graph.node {
            let data_in: Vec<usize> = n
                .input
                .iter()
                .filter(|i| !i.is_empty() && !inits.contains_key(i.as_str()))
                .map(|i| {
                    ids.get(i)
                        .copied()
                        .ok_or_else(|| format!("{}: input {i} is not computed before", n.name))
                })
                .collect::<Result<_, _>>()?;
            let init = |k: usize| -> Result<&pb::TensorProto, String> {
                n.input
                    .get(k)
                    .and_then(|name| inits.get(name.as_str()).copied())
                    .ok_or_else(|| format!("{}: missing constant input {k}", n.name))
            };
            let op = match n.op_type.as_str() {
                "Conv" => {
                    let w = init(1)?;
                    let weight = floats(w)?;
                    let bias = floats(init(2)?)?;
                    let dims: Vec<usize> = w.dims.iter().map(|&d| d as usize).collect();
                    let group = attr(n, "group").map_or(1, |a| a.i.max(1) as usize);
                    let kernel = ints(n, "kernel_shape");
                    let strides = ints(n, "strides");
                    let pads = ints(n, "pads");
                    let dil = ints(n, "dilations");
                    let square = |v: &[i64]| v.windows(2).all(|p| p[0] == p[1]);
                    // [top, left, bottom, right]: the same all round, or
                    // more on the bottom and right (TFLite's stride 2).
                    let (pad, pad_end) = match pads.as_slice() {
                        [] => (0, 0),
                        &[t, l, b, r] if t == l && b == r && b >= t && t >= 0 => {
                            (t as usize, (b - t) as usize)
                        }
                        _ => return Err(format!("{}: unsupported padding {pads:?}", n.name)),
                    };
                    if dims.len() != 4
                        || dims[2] != dims[3]
                        || !square(&kernel)
                        || !square(&strides)
                        || dil.iter().any(|&d| d != 1)
                        || bias.len() != dims[0]
                        || weight.len() != dims.iter().product::<usize>()
                    {
                        return Err(format!("{}: unsupported convolution", n.name));
                    }
                    let pointwise = dims[2] == 1 && group == 1;
                    Op::Conv(Conv {
                        across: pointwise.then(|| Across::of(&weight, &bias, dims[1], dims[0])),
                        cin: dims[1] * group,
                        cout: dims[0],
                        k: dims[2],
                        stride: strides.first().copied().unwrap_or(1).max(1) as usize,
                        pad,
                        pad_end,
                        group,
                        weight,
                        bias,
                        relu: false,
                    })
                }
                "Relu" => Op::Relu,
                "PRelu" => {
                    let slope = init(1)?;
                    let per_channel = slope.dims.len() == 3 && slope.dims[1..] == [1, 1];
                    if !per_channel {
                        return Err(format!("{}: unsupported PRelu slope shape", n.name));
                    }
                    Op::PRelu(floats(slope)?)
                }
                "Pad" => {
                    let pads = int64s(init(1)?);
                    // Only zeros appended to the channels: [0, 0, 0, 0, 0, C, 0, 0].
                    let channels_only = pads.len() == 8
                        && pads.iter().enumerate().all(|(k, &p)| k == 5 || p == 0)
                        && pads[5] > 0;
                    let constant = text(n, "mode");
                    let zero = n.input.get(2).is_none_or(|v| v.is_empty());
                    if !channels_only || !(constant.is_empty() || constant == "constant") || !zero {
                        return Err(format!("{}: unsupported pad {pads:?}", n.name));
                    }
                    Op::PadChannels(pads[5] as usize)
                }
                "Flatten" => {
                    // [1, C, H, W] -> [1, C*H*W]: the data is in that order.
                    if attr(n, "axis").is_some_and(|a| a.i != 1) {
                        return Err(format!("{}: unsupported flatten", n.name));
                    }
                    Op::Keep
                }
                "Sigmoid" => Op::Sigmoid,
                "Add" => Op::Add,
                "MaxPool" => {
                    if ints(n, "kernel_shape") != [2, 2]
                        || ints(n, "strides") != [2, 2]
                        || ints(n, "pads").iter().any(|&p| p != 0)
                        || attr(n, "ceil_mode").is_some_and(|a| a.i != 0)
                    {
                        return Err(format!("{}: unsupported pooling", n.name));
                    }
                    Op::MaxPool2
                }
                "Resize" => {
                    let scales = floats(init(2)?)?;
                    if text(n, "mode") != "nearest"
                        || text(n, "coordinate_transformation_mode") != "asymmetric"
                        || text(n, "nearest_mode") != "floor"
                        || scales != [1.0, 1.0, 2.0, 2.0]
                    {
                        return Err(format!("{}: unsupported resize", n.name));
                    }
                    Op::Upsample2
                }
                "Transpose" => match ints(n, "perm").as_slice() {
                    [0, 2, 3, 1] => Op::ToRows,
                    // Only on the graph's input, which then arrives as rows.
                    [0, 3, 1, 2] if data_in == [0] => Op::FromRows,
                    _ => return Err(format!("{}: unsupported transpose", n.name)),
                },
                "Reshape" => {
                    let shape = init(1)?;
                    let to = int64s(shape);
                    // [1, -1, C] after a transpose to rows only.
                    let after_rows = data_in.first().is_some_and(|&i| {
                        nodes
                            .iter()
                            .any(|m: &Node| m.output == i && matches!(m.op, Op::ToRows))
                    });
                    if to.len() != 3 || to[0] != 1 || to[1] != -1 || !after_rows {
                        return Err(format!("{}: unsupported reshape", n.name));
                    }
                    Op::Keep
                }
                other => return Err(format!("{}: unsupported operation {other}", n.name)),
            };
            let arity = if matches!(op, Op::Add) { 2 } else { 1 };
            if data_in.len() != arity || n.output.len() != 1 {
                return Err(format!("{}: unexpected inputs or outputs", n.name));
            }
            let output = ids.len();
            ids.insert(n.output[0].clone(), output);
            nodes.push(Node {
                op,
                inputs: data_in,
                output,
                frees: Vec::new(),
            });
        }
        let outputs: Vec<usize> = graph
            .output
            .iter()
            .map(|o| {
                ids.get(&o.name)
                    .copied()
                    .ok_or_else(|| format!("output {} is never computed", o.name))
            })
            .collect::<Result<_, _>>()?;
        // A ReLU whose input is a convolution read by nothing else is done
        // inside the convolution.
        let mut readers: HashMap<usize, usize> = HashMap::new();
        for node in &nodes {
            for &i in &node.inputs {
                *readers.entry(i).or_default() += 1;
            }
        }
        for k in 0..nodes.len() {
            let Some(&input) = nodes[k].inputs.first() else {
                continue;
            };
            if !matches!(nodes[k].op, Op::Relu)
                || readers.get(&input) != Some(&1)
                || outputs.contains(&input)
            {
                continue;
            }
            if let Some(Node {
                op: Op::Conv(c), ..
            }) = nodes.iter_mut().find(|n| n.output == input)
            {
                c.relu = true;
                nodes[k].op = Op::Pass;
            }
        }
        // So is a PReLU after an addition read by nothing else.
        for k in 0..nodes.len() {
            let Some(&input) = nodes[k].inputs.first() else {
                continue;
            };
            if !matches!(nodes[k].op, Op::PRelu(_))
                || readers.get(&input) != Some(&1)
                || outputs.contains(&input)
            {
                continue;
            }
            let Some(at) = nodes
                .iter()
                .position(|n| n.output == input && matches!(n.op, Op::Add))
            else {
                continue;
            };
            if let Op::PRelu(slope) = std::mem::replace(&mut nodes[k].op, Op::Pass) {
                nodes[at].op = Op::AddPRelu(slope);
            }
        }
        // Free every value after its last reader (outputs are kept).
        let mut last: HashMap<usize, usize> = HashMap::new();
        for (k, node) in nodes.iter().enumerate() {
            for &i in &node.inputs {
                last.insert(i, k);
            }
        }
        for (value, k) in last {
            if !outputs.contains(&value) {
                nodes[k].frees.push(value);
            }
        }
        Ok(Net {
            nodes,
            values: ids.len(),
            input: 0,
            outputs,
        })
    }

    /// Runs the graph on `input` and returns its outputs in the file's
    /// order, each as a flat list. YuNet takes 3 planes, BGR, 0-255, sides
    /// multiples of 32; the mesh a 192x192 map of RGB 0-1 in row order
    /// (position by position).
    pub(crate) fn run(&self, input: Map) -> Result<Vec<Vec<f32>>, String> {
        let mut values: Vec<Option<Map>> = (0..self.values).map(|_| None).collect();
        values[self.input] = Some(input);
        for node in &self.nodes {
            let arg = |k: usize| -> Result<&Map, String> {
                node.inputs
                    .get(k)
                    .and_then(|&i| values[i].as_ref())
                    .ok_or_else(|| "a value was freed too early".to_string())
            };
            if let Op::PRelu(slope) = &node.op {
                // In place when this is the input's last reader (the mesh's
                // PReLUs follow an addition or a convolution read by
                // nothing else); else on a copy.
                let i = node.inputs.first().copied().ok_or("PRelu without input")?;
                let mut m = if node.frees.contains(&i) {
                    values[i].take()
                } else {
                    values[i].clone()
                }
                .ok_or("a value was freed too early")?;
                prelu(&mut m, slope)?;
                values[node.output] = Some(m);
                for &f in &node.frees {
                    values[f] = None;
                }
                continue;
            }
            if let Op::AddPRelu(slope) = &node.op {
                // The first term's buffer takes the sum when nothing later
                // reads it.
                let (i, j) = match node.inputs[..] {
                    [i, j] => (i, j),
                    _ => return Err("an addition without two inputs".into()),
                };
                let a = if node.frees.contains(&i) && i != j {
                    values[i].take().map(Cow::Owned)
                } else {
                    values[i].as_ref().map(Cow::Borrowed)
                }
                .ok_or("a value was freed too early")?;
                let b = values[j].as_ref().ok_or("a value was freed too early")?;
                let out = add_prelu(a, b, slope)?;
                values[node.output] = Some(out);
                for &f in &node.frees {
                    values[f] = None;
                }
                continue;
            }
            if matches!(node.op, Op::Pass) {
                // The only reader of its input: the value moves on.
                let moved = node.inputs.first().and_then(|&i| values[i].take());
                values[node.output] = Some(moved.ok_or("a value was freed too early")?);
                continue;
            }
            let out = match &node.op {
                Op::Conv(c) => conv(arg(0)?, c)?,
                Op::Relu => map(arg(0)?, |v| v.max(0.0)),
                Op::PRelu(_) => unreachable!("handled above"),
                Op::PadChannels(extra) => pad_channels(arg(0)?, *extra),
                Op::FromRows => from_rows(arg(0)?),
                Op::Sigmoid => map(arg(0)?, |v| 1.0 / (1.0 + (-v).exp())),
                Op::MaxPool2 => max_pool(arg(0)?),
                Op::Upsample2 => upsample(arg(0)?),
                Op::Add => add(arg(0)?, arg(1)?)?,
                Op::ToRows => to_rows(arg(0)?),
                Op::Keep => arg(0)?.clone(),
                Op::Pass | Op::AddPRelu(_) => unreachable!("handled above"),
            };
            values[node.output] = Some(out);
            for &f in &node.frees {
                values[f] = None;
            }
        }
        self.outputs
            .iter()
            .map(|&o| {
                values[o]
                    .take()
                    .map(|m| m.data)
                    .ok_or_else(|| "an output was not computed".to_string())
            })
            .collect()
    }
}
