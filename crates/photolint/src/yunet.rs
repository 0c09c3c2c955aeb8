//! A small, direct interpreter for the YuNet face-detector graph.
//!
//! YuNet is a chain of plain layers: 3x3 convolutions (one strided, the
//! rest depthwise), 1x1 convolutions, ReLU, 2x2 max pooling, nearest 2x
//! upsampling, additions, and per-stride heads whose outputs are moved to
//! row order (anchor by anchor) with a sigmoid on the scores. On the small
//! canvases photolint runs it on (about 100x130), a general ONNX runtime
//! spends most of its time on per-operation overhead and on its generic
//! border code for depthwise convolutions; run directly, as a few loops the
//! compiler vectorises, the same graph costs a fraction of that.
//!
//! The ONNX file is read with tract-onnx's protobuf types, and every node
//! is checked when the net is built: an operation or attribute this module
//! does not implement exactly is an error, never an approximation. A test
//! compares every output with tract's own run of the file.

use std::collections::HashMap;

use tract_onnx::pb;
use tract_onnx::prelude::Framework;

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
    group: usize,
    /// A ReLU follows and nothing else reads the raw output: applied here.
    relu: bool,
}

#[derive(Debug)]
enum Op {
    Conv(Conv),
    Relu,
    MaxPool2,
    Upsample2,
    Add,
    Sigmoid,
    /// Transpose NCHW -> NHWC.
    ToRows,
    /// Reshape to `[1, h*w, c]`: the data is already in that order.
    Keep,
    /// A ReLU folded into the convolution before it: the value passes on.
    Pass,
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

impl Net {
    /// Reads the graph from an ONNX file's bytes.
    pub(crate) fn from_onnx(bytes: &[u8]) -> Result<Net, String> {
        let model = tract_onnx::onnx()
            .proto_model_for_read(&mut &bytes[..])
            .map_err(|e| e.to_string())?;
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
                    if dims.len() != 4
                        || dims[2] != dims[3]
                        || !square(&kernel)
                        || !square(&strides)
                        || !square(&pads)
                        || dil.iter().any(|&d| d != 1)
                        || bias.len() != dims[0]
                        || weight.len() != dims.iter().product::<usize>()
                    {
                        return Err(format!("{}: unsupported convolution", n.name));
                    }
                    Op::Conv(Conv {
                        cin: dims[1] * group,
                        cout: dims[0],
                        k: dims[2],
                        stride: strides.first().copied().unwrap_or(1).max(1) as usize,
                        pad: pads.first().copied().unwrap_or(0).max(0) as usize,
                        group,
                        weight,
                        bias,
                        relu: false,
                    })
                }
                "Relu" => Op::Relu,
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
                "Transpose" => {
                    if ints(n, "perm") != [0, 2, 3, 1] {
                        return Err(format!("{}: unsupported transpose", n.name));
                    }
                    Op::ToRows
                }
                "Reshape" => {
                    let shape = init(1)?;
                    let to: Vec<i64> = if shape.raw_data.is_empty() {
                        shape.int64_data.clone()
                    } else {
                        shape
                            .raw_data
                            .chunks_exact(8)
                            .map(|b| {
                                i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
                            })
                            .collect()
                    };
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

    /// Runs the graph on `input` (3 planes, BGR, 0-255, sides multiples of
    /// 32) and returns its outputs in the file's order, each as a flat list.
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
            if matches!(node.op, Op::Pass) {
                // The only reader of its input: the value moves on.
                let moved = node.inputs.first().and_then(|&i| values[i].take());
                values[node.output] = Some(moved.ok_or("a value was freed too early")?);
                continue;
            }
            let out = match &node.op {
                Op::Conv(c) => conv(arg(0)?, c)?,
                Op::Relu => map(arg(0)?, |v| v.max(0.0)),
                Op::Sigmoid => map(arg(0)?, |v| 1.0 / (1.0 + (-v).exp())),
                Op::MaxPool2 => max_pool(arg(0)?),
                Op::Upsample2 => upsample(arg(0)?),
                Op::Add => add(arg(0)?, arg(1)?)?,
                Op::ToRows => to_rows(arg(0)?),
                Op::Keep => arg(0)?.clone(),
                Op::Pass => unreachable!("handled above"),
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

fn map(m: &Map, f: impl Fn(f32) -> f32) -> Map {
    Map {
        data: m.data.iter().map(|&v| f(v)).collect(),
        ..*m
    }
}

fn max_pool(m: &Map) -> Map {
    let (h, w) = (m.h / 2, m.w / 2);
    let mut data = Vec::with_capacity(m.c * h * w);
    for plane in m.data.chunks_exact(m.h * m.w) {
        for y in 0..h {
            let (r0, r1) = (&plane[2 * y * m.w..], &plane[(2 * y + 1) * m.w..]);
            data.extend((0..w).map(|x| {
                r0[2 * x]
                    .max(r0[2 * x + 1])
                    .max(r1[2 * x])
                    .max(r1[2 * x + 1])
            }));
        }
    }
    Map { c: m.c, h, w, data }
}

fn upsample(m: &Map) -> Map {
    let (h, w) = (2 * m.h, 2 * m.w);
    let mut data = Vec::with_capacity(m.c * h * w);
    for plane in m.data.chunks_exact(m.h * m.w) {
        for y in 0..h {
            let row = &plane[(y / 2) * m.w..(y / 2 + 1) * m.w];
            data.extend((0..w).map(|x| row[x / 2]));
        }
    }
    Map { c: m.c, h, w, data }
}

fn add(a: &Map, b: &Map) -> Result<Map, String> {
    if (a.c, a.h, a.w) != (b.c, b.h, b.w) {
        return Err(format!(
            "adding {}x{}x{} to {}x{}x{}",
            a.c, a.h, a.w, b.c, b.h, b.w
        ));
    }
    Ok(Map {
        data: a.data.iter().zip(&b.data).map(|(x, y)| x + y).collect(),
        ..*a
    })
}

fn to_rows(m: &Map) -> Map {
    let n = m.h * m.w;
    let mut data = vec![0f32; m.c * n];
    for (ch, plane) in m.data.chunks_exact(n).enumerate() {
        for (p, &v) in plane.iter().enumerate() {
            data[p * m.c + ch] = v;
        }
    }
    Map { data, ..*m }
}

fn conv(m: &Map, c: &Conv) -> Result<Map, String> {
    let mut out = conv_linear(m, c)?;
    if c.relu {
        out.data
            .iter_mut()
            .for_each(|v| *v = if *v > 0.0 { *v } else { 0.0 });
    }
    Ok(out)
}

fn conv_linear(m: &Map, c: &Conv) -> Result<Map, String> {
    if m.c != c.cin || m.h + 2 * c.pad < c.k || m.w + 2 * c.pad < c.k {
        return Err(format!(
            "convolution of {} channels at {}x{} given {}x{}x{}",
            c.cin, c.k, c.k, m.c, m.h, m.w
        ));
    }
    let oh = (m.h + 2 * c.pad - c.k) / c.stride + 1;
    let ow = (m.w + 2 * c.pad - c.k) / c.stride + 1;
    if c.group == 1 && c.k == 1 && c.stride == 1 && c.pad == 0 {
        return Ok(Map {
            c: c.cout,
            h: oh,
            w: ow,
            data: pointwise(&m.data, m.h * m.w, &c.weight, &c.bias, c.cin),
        });
    }
    if c.group == c.cin && c.cin == c.cout && c.k == 3 && c.stride == 1 && c.pad == 1 {
        return Ok(depthwise3(m, c));
    }
    if c.group == 1 {
        let cols = im2col(m, c, oh, ow);
        return Ok(Map {
            c: c.cout,
            h: oh,
            w: ow,
            data: pointwise(&cols, oh * ow, &c.weight, &c.bias, c.cin * c.k * c.k),
        });
    }
    Err(format!(
        "grouped convolution ({} groups of {} channels) is not supported",
        c.group, c.cin
    ))
}

/// Lanes the hot loops are written in: fixed-size chunks the compiler
/// turns into vector instructions.
const LANES: usize = 8;

/// `dst += w * src`, element by element.
fn axpy(dst: &mut [f32], w: f32, src: &[f32]) {
    let mut d = dst.chunks_exact_mut(LANES);
    let mut s = src.chunks_exact(LANES);
    for (dc, sc) in (&mut d).zip(&mut s) {
        for k in 0..LANES {
            dc[k] += w * sc[k];
        }
    }
    for (dv, sv) in d.into_remainder().iter_mut().zip(s.remainder()) {
        *dv += w * sv;
    }
}

/// out[o] = bias[o] + sum over i of weight[o][i] * input[i], plane by plane.
fn pointwise(input: &[f32], n: usize, weight: &[f32], bias: &[f32], cin: usize) -> Vec<f32> {
    let cout = bias.len();
    let mut out = vec![0f32; cout * n];
    for (o, dst) in out.chunks_exact_mut(n).enumerate() {
        dst.fill(bias[o]);
        let w = &weight[o * cin..(o + 1) * cin];
        // Four input planes per pass over the output plane.
        let mut i = 0;
        while i + 4 <= cin {
            let ws = [w[i], w[i + 1], w[i + 2], w[i + 3]];
            let planes = &input[i * n..(i + 4) * n];
            let (p0, rest) = planes.split_at(n);
            let (p1, rest) = rest.split_at(n);
            let (p2, p3) = rest.split_at(n);
            let full = n / LANES * LANES;
            for at in (0..full).step_by(LANES) {
                let d = &mut dst[at..at + LANES];
                let (a, b) = (&p0[at..at + LANES], &p1[at..at + LANES]);
                let (c, e) = (&p2[at..at + LANES], &p3[at..at + LANES]);
                for k in 0..LANES {
                    d[k] += ws[0] * a[k] + ws[1] * b[k] + ws[2] * c[k] + ws[3] * e[k];
                }
            }
            for at in full..n {
                dst[at] += ws[0] * p0[at] + ws[1] * p1[at] + ws[2] * p2[at] + ws[3] * p3[at];
            }
            i += 4;
        }
        for (k, &wk) in w.iter().enumerate().skip(i) {
            axpy(dst, wk, &input[k * n..(k + 1) * n]);
        }
    }
    out
}

/// 3x3 depthwise convolution, stride 1, zero padding 1.
fn depthwise3(m: &Map, c: &Conv) -> Map {
    let (h, w) = (m.h, m.w);
    let mut out = vec![0f32; m.c * h * w];
    for (ch, (src, dst)) in m
        .data
        .chunks_exact(h * w)
        .zip(out.chunks_exact_mut(h * w))
        .enumerate()
    {
        let k = &c.weight[ch * 9..ch * 9 + 9];
        dst.fill(c.bias[ch]);
        for y in 0..h {
            let drow = &mut dst[y * w..(y + 1) * w];
            for ky in 0..3 {
                let Some(sy) = (y + ky).checked_sub(1).filter(|&s| s < h) else {
                    continue;
                };
                let srow = &src[sy * w..(sy + 1) * w];
                let (a, b, cc) = (k[ky * 3], k[ky * 3 + 1], k[ky * 3 + 2]);
                // Left neighbour, centre, right neighbour.
                axpy(&mut drow[1..], a, &srow[..w - 1]);
                axpy(drow, b, srow);
                axpy(&mut drow[..w - 1], cc, &srow[1..]);
            }
        }
    }
    Map {
        c: m.c,
        h,
        w,
        data: out,
    }
}

/// The patches under each output position, one plane per (channel, ky, kx).
fn im2col(m: &Map, c: &Conv, oh: usize, ow: usize) -> Vec<f32> {
    let n = oh * ow;
    let mut cols = vec![0f32; c.cin * c.k * c.k * n];
    for ch in 0..c.cin {
        let plane = &m.data[ch * m.h * m.w..(ch + 1) * m.h * m.w];
        for ky in 0..c.k {
            for kx in 0..c.k {
                let row = (ch * c.k + ky) * c.k + kx;
                let dst = &mut cols[row * n..(row + 1) * n];
                for oy in 0..oh {
                    let Some(sy) = (oy * c.stride + ky).checked_sub(c.pad).filter(|&s| s < m.h)
                    else {
                        continue;
                    };
                    for ox in 0..ow {
                        if let Some(sx) =
                            (ox * c.stride + kx).checked_sub(c.pad).filter(|&s| s < m.w)
                        {
                            dst[oy * ow + ox] = plane[sy * m.w + sx];
                        }
                    }
                }
            }
        }
    }
    cols
}
