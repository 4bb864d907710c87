//! `evaluateColumns`' JavaScript side: the columns object read into [`InColumn`]s (typed arrays
//! copied once, plain arrays read as JSON), and the result built as typed arrays.

use super::{Data, Evaluated, InColumn, OutData};
use onshi::Program;
use serde_json::Value as Json;
use wasm_bindgen::{JsCast, JsValue};

fn type_error(message: String) -> JsValue {
    js_sys::TypeError::new(&format!("evaluateColumns: {message}")).into()
}

fn get(object: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(key))
}

/// The whole numbers of a typed array of integers; `None` for any other value.
fn ints(v: &JsValue) -> Option<Vec<i64>> {
    macro_rules! widen {
        ($($t:ty),*) => {$(
            if let Some(a) = v.dyn_ref::<$t>() {
                return Some(a.to_vec().into_iter().map(i64::from).collect());
            }
        )*};
    }
    if let Some(a) = v.dyn_ref::<js_sys::BigInt64Array>() {
        return Some(a.to_vec());
    }
    widen!(
        js_sys::Int32Array,
        js_sys::Uint8Array,
        js_sys::Uint16Array,
        js_sys::Uint32Array,
        js_sys::Int8Array,
        js_sys::Int16Array
    );
    None
}

/// One column's values: a typed array of integers or a plain array.
fn data(name: &str, v: &JsValue) -> Result<Data, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(Data::Absent);
    }
    if let Some(ints) = ints(v) {
        return Ok(Data::Ints(ints));
    }
    if v.is_instance_of::<js_sys::Float64Array>() || v.is_instance_of::<js_sys::Float32Array>() {
        return Err(type_error(format!(
            "column {name:?} is a float array: onshi takes no floats (amounts as Int32Array or BigInt64Array of yen, ratios as a plain array of texts such as \"1/2\")"
        )));
    }
    if js_sys::Array::is_array(v) {
        let text = js_sys::JSON::stringify(v)?.as_string().unwrap_or_default();
        let values: Vec<Json> =
            serde_json::from_str(&text).map_err(|e| type_error(format!("column {name:?}: {e}")))?;
        return Ok(Data::Json(values));
    }
    Err(type_error(format!(
        "column {name:?} must be a typed array of integers, an array, or {{ values, present }}"
    )))
}

/// The columns object read for every input (in `program.inputs()` order) and the number of
/// records: `length` when given, else the columns' length. A key that names no input, or a
/// column of the wrong form, is a `TypeError`.
pub fn read(
    program: &Program,
    columns: &JsValue,
    length: Option<u32>,
) -> Result<(Vec<InColumn>, usize), JsValue> {
    if !columns.is_object() {
        return Err(type_error(
            "columns must be an object mapping input names to columns".to_string(),
        ));
    }
    let object: &js_sys::Object = columns.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        if program.input_index(&key).is_none() {
            let names: Vec<&str> = program.inputs().iter().map(|i| i.name.as_str()).collect();
            return Err(type_error(format!(
                "{key:?} is not an input of this policy (its inputs: {})",
                names.join(", ")
            )));
        }
    }
    let mut out = Vec::with_capacity(program.inputs().len());
    for input in program.inputs() {
        let v = get(columns, &input.name)?;
        // `{ values, present }`: any object that is neither an array nor a typed array.
        let wrapped =
            v.is_object() && !js_sys::Array::is_array(&v) && !js_sys::ArrayBuffer::is_view(&v);
        let column = if !wrapped {
            InColumn {
                data: data(&input.name, &v)?,
                present: None,
            }
        } else {
            let present = get(&v, "present")?;
            let present = if present.is_undefined() || present.is_null() {
                None
            } else {
                match present.dyn_ref::<js_sys::Uint8Array>() {
                    Some(p) => Some(p.to_vec()),
                    None => {
                        return Err(type_error(format!(
                            "column {:?}: present must be a Uint8Array (1 present, 0 left out)",
                            input.name
                        )))
                    }
                }
            };
            InColumn {
                data: data(&input.name, &get(&v, "values")?)?,
                present,
            }
        };
        out.push(column);
    }
    let len = match length {
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
        None => out
            .iter()
            .find_map(|c| match &c.data {
                Data::Absent => c.present.as_ref().map(Vec::len),
                Data::Ints(v) => Some(v.len()),
                Data::Json(v) => Some(v.len()),
            })
            .unwrap_or(0),
    };
    Ok((out, len))
}

fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

/// The result as JavaScript: `{ length, ok, errors, outputs }` (see `types.d.ts`).
pub fn result(e: &Evaluated) -> JsValue {
    let outputs = js_sys::Object::new();
    for c in &e.outputs {
        let o = js_sys::Object::new();
        match &c.data {
            OutData::Bool(v) => {
                set(&o, "kind", &"bool".into());
                set(&o, "values", &js_sys::Uint8Array::from(v.as_slice()).into());
            }
            OutData::Int(v) => {
                set(&o, "kind", &"int".into());
                set(
                    &o,
                    "values",
                    &js_sys::BigInt64Array::from(v.as_slice()).into(),
                );
            }
            OutData::Date(v) => {
                set(&o, "kind", &"date".into());
                set(&o, "values", &js_sys::Int32Array::from(v.as_slice()).into());
            }
            OutData::Dict {
                indices,
                dictionary,
            } => {
                set(&o, "kind", &"dictionary".into());
                set(
                    &o,
                    "indices",
                    &js_sys::Uint32Array::from(indices.as_slice()).into(),
                );
                set(&o, "dictionary", &crate::to_js(dictionary));
            }
        }
        if let Some(p) = &c.present {
            set(
                &o,
                "present",
                &js_sys::Uint8Array::from(p.as_slice()).into(),
            );
        }
        set(&outputs, &c.name, &o.into());
    }
    let errors = js_sys::Array::new();
    for (row, d) in &e.errors {
        let item = js_sys::Object::new();
        set(
            &item,
            "row",
            &JsValue::from(u32::try_from(*row).unwrap_or(u32::MAX)),
        );
        set(&item, "error", &crate::to_js(d));
        errors.push(&item);
    }
    let out = js_sys::Object::new();
    set(
        &out,
        "length",
        &JsValue::from(u32::try_from(e.len).unwrap_or(u32::MAX)),
    );
    set(
        &out,
        "ok",
        &js_sys::Uint8Array::from(e.ok.as_slice()).into(),
    );
    set(&out, "errors", &errors.into());
    set(&out, "outputs", &outputs.into());
    out.into()
}
