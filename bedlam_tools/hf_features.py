"""Hugging Face `datasets` features of a parquet schema: the schema metadata `datasets` decodes the columns with,
and the `dataset_info` YAML of a dataset card. Written here from the arrow types (no `datasets` import): columns
map to `Value`, `List` and structs, and an {bytes, path} struct may be declared an `Image` (decoded to a PIL
image). Nested lists of floats (the 52x3 poses) load as lists, and as numpy arrays with `.with_format("numpy")`."""
import json

import pyarrow as pa

METADATA_KEY = b"huggingface"
VALUE_TYPES = {pa.string(): "string", pa.int32(): "int32", pa.int64(): "int64", pa.float32(): "float32",
               pa.float64(): "float64", pa.bool_(): "bool", pa.binary(): "binary"}

IMAGE_FEATURE = {"_type": "Image"}


def feature(arrow_type: pa.DataType) -> dict:
    """The `datasets` feature (its dict form) of an arrow type."""
    if arrow_type in VALUE_TYPES:
        return {"dtype": VALUE_TYPES[arrow_type], "_type": "Value"}
    if pa.types.is_list(arrow_type):
        return {"feature": feature(arrow_type.value_type), "_type": "List"}
    if pa.types.is_struct(arrow_type):
        return {f.name: feature(f.type) for f in (arrow_type.field(i) for i in range(arrow_type.num_fields))}
    raise TypeError(f"no datasets feature for the arrow type {arrow_type}")


def with_features(schema: pa.Schema, special: dict[str, dict]) -> pa.Schema:
    """`schema` with the `datasets` features of its columns in its metadata (`special` overrides by column)."""
    features = {field.name: special.get(field.name) or feature(field.type) for field in schema}
    metadata = {**(schema.metadata or {}), METADATA_KEY: json.dumps({"info": {"features": features}})}
    return schema.with_metadata(metadata)


def features_of(schema: pa.Schema) -> dict:
    return json.loads(schema.metadata[METADATA_KEY])["info"]["features"]


def _yaml_type(spec: dict) -> dict:
    """A feature's type as the hub's card YAML writes it: {"dtype": ...}, {"list": ...} or {"struct": [...]}."""
    kind = spec.get("_type")
    if kind == "Value":
        return {"dtype": spec["dtype"]}
    if kind == "Image":
        return {"dtype": "image"}
    if kind == "List":
        inner = _yaml_type(spec["feature"])
        return {"list": inner[next(iter(inner))] if len(inner) == 1 and set(inner) <= {"dtype", "struct"} else inner}
    return {"struct": [{"name": k, **_yaml_type(v)} for k, v in spec.items()]}


def card_features(schema: pa.Schema) -> list[dict]:
    """The `dataset_info.features` list of a dataset card, for a schema made by `with_features`."""
    return [{"name": name, **_yaml_type(spec)} for name, spec in features_of(schema).items()]
