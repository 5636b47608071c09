"""Runtime metadata for the fake chain: the vendored one, or a copy with one constant changed
(a runtime upgrade that moves a deadline)."""

from __future__ import annotations


def _compact(data: bytes, at: int) -> tuple[int, int]:
    """A SCALE compact integer at `at`: (value, offset after it)."""
    mode = data[at] & 0b11
    if mode == 0:
        return data[at] >> 2, at + 1
    if mode == 1:
        return int.from_bytes(data[at : at + 2], "little") >> 2, at + 2
    if mode == 2:
        return int.from_bytes(data[at : at + 4], "little") >> 2, at + 4
    length = (data[at] >> 2) + 4
    return int.from_bytes(data[at + 1 : at + 1 + length], "little"), at + 1 + length


def _compact_encode(value: int) -> bytes:
    if value < 1 << 6:
        return bytes([value << 2])
    if value < 1 << 14:
        return ((value << 2) | 1).to_bytes(2, "little")
    if value < 1 << 30:
        return ((value << 2) | 2).to_bytes(4, "little")
    raise ValueError("a constant name this long does not exist")


def metadata_with_constant(metadata_hex: str, constant: str, value: int) -> str:
    """The metadata with the first 4 bytes of constant `constant` (a u32 duration, or the
    `voting_period` that starts a ProposalParameters) set to `value`.

    A V14 pallet constant is encoded as: name (compact length + UTF-8), type id (compact),
    value (compact length + bytes), docs. The name is found by its encoding, which is unique
    for the constants the reminders read."""
    data = bytearray(bytes.fromhex(metadata_hex.removeprefix("0x")))
    name = constant.encode()
    encoded_name = _compact_encode(len(name)) + name
    at = data.find(encoded_name)
    if at < 0 or data.find(encoded_name, at + 1) >= 0:
        raise ValueError(f"no single constant named {constant!r} in the metadata")
    _type_id, at = _compact(data, at + len(encoded_name))
    length, at = _compact(data, at)
    if length < 4:
        raise ValueError(f"the constant {constant!r} is not a u32 or a parameter set")
    data[at : at + 4] = value.to_bytes(4, "little")
    return "0x" + data.hex()
