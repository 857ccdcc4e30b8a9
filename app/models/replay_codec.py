"""Compact replays: the JSON answer an idempotency record gives back to a retry, compressed.

A status view is about 2.6 KB of JSON whose keys and much of whose wording repeat from one
answer to the next. Deflate with a preset dictionary (zlib's ``zdict``: a typical answer the
compressor may refer back to) stores one in about 150-300 bytes, where plain deflate needs
about 800. The replay is the answer itself, decompressed byte for byte: nothing is rebuilt from
state that later writes have changed.

The first byte names the dictionary. A dictionary, once released, never changes: records made
with it must stay readable until they are pruned. A better one is added under a new number.
"""

from __future__ import annotations

import zlib
from typing import Any

import orjson

# A status view of the standard flow, as orjson writes it, then the other answers' keys. What
# the compressor finds here it stores as a short back-reference.
_DICTIONARY_1 = (
    b'{"id":1,"order":"SO-1042","order_version":1,"current":true,"channel":"phone","category":"eta",'
    b'"text":"","note":null,"actor":"key:key_","actor_name":"","at":"2026-11-24T08:00:00Z",'
    b'"event_id":1,"attributed_stage":null}'
    b'{"reference":"SO-1042","flow":"standard","customer":{"name":"Toko Maju","contact":"+62 21 555 0100"},'
    b'"state":"open","at_risk":false,"version":2,"promised_at":"2026-11-26T05:00:00Z",'
    b'"eta":{"likely_at":"2026-11-27T08:00:00Z","latest_at":"2026-11-28T04:00:00Z","basis":"plan",'
    b'"minutes_past_promise":-1440,"critical_path":["assembly","finance","shipping"]},'
    b'"current_stages":["assembly"],"stages":['
    b'{"key":"assembly","name":"Assembly","department":"assembly","status":"in_progress","depends_on":[],'
    b'"reason":"waiting_parts","reason_text":{"en":"Waiting for parts","id":"Menunggu suku cadang"},'
    b'"planned_minutes":480,"expected_finish_at":"2026-11-24T10:00:00.000000Z",'
    b'"latest_finish_at":"2026-11-24T13:00:00Z","estimate_basis":"revised",'
    b'"revised_finish_at":"2026-11-24T10:00:00.000000Z","next_update_by":null,"overdue":false,'
    b'"started_at":"2026-11-24T02:00:00.000000Z","finished_at":null,"planned_cost":null,'
    b'"cost_estimate":{"amount":"150000.00","currency":"IDR"},"cost_actual":null,"assignee":null,'
    b'"internal_note":null,"customer_note":null,"updated_at":"2026-11-24T02:00:00.000000Z"},'
    b'{"key":"finance","name":"Finance","department":"finance","status":"pending","depends_on":["assembly"],'
    b'"reason":null,"reason_text":null,"planned_minutes":120,"expected_finish_at":"2026-11-24T14:35:00Z",'
    b'"latest_finish_at":"2026-11-24T16:51:00Z","estimate_basis":"plan","revised_finish_at":null,'
    b'"next_update_by":null,"overdue":false,"started_at":null,"finished_at":null,"planned_cost":null,'
    b'"cost_estimate":null,"cost_actual":null,"assignee":null,"internal_note":null,"customer_note":null,'
    b'"updated_at":"2026-11-24T01:00:00.000000Z"},'
    b'{"key":"shipping","name":"Shipping","department":"shipping","status":"pending","depends_on":["finance"],'
    b'"reason":null,"reason_text":null,"planned_minutes":1440,"expected_finish_at":"2026-11-25T14:35:00Z",'
    b'"latest_finish_at":"2026-11-26T15:46:00Z","estimate_basis":"plan","revised_finish_at":null,'
    b'"next_update_by":null,"overdue":false,"started_at":null,"finished_at":null,"planned_cost":null,'
    b'"cost_estimate":null,"cost_actual":null,"assignee":null,"internal_note":null,"customer_note":null,'
    b'"updated_at":"2026-11-24T01:00:00.000000Z"}],'
    b'"cost":{"quoted":{"amount":"1250000.00","currency":"IDR"},"estimated":{"amount":"1250000.00",'
    b'"currency":"IDR"},"actual":{"amount":"0.00","currency":"IDR"},"over_quote_percent":0.0},'
    b'"customer_message":{"en":"Your order is being assembled; we expect it on 27 Nov, as promised.",'
    b'"id":"Pesanan Anda sedang dirakit; kami perkirakan selesai 27 Nov, sesuai janji."},'
    b'"cancel_reason":null,"last_acknowledgement":null,'
    b'"created_at":"2026-11-24T01:00:00.000000Z","updated_at":"2026-11-24T02:00:00.000000Z"}'
    b'"customer_message":{"en":"Your order is waiting for a part; we expect it on 2 Dec, as promised.",'
    b'"id":"Pesanan Anda menunggu suku cadang; kami perkirakan selesai 2 Des, sesuai janji."}'
)
_DICTIONARIES = {1: _DICTIONARY_1}
_CURRENT = 1


def encode(body: dict[str, Any]) -> bytes:
    """The answer's JSON, compressed with the current dictionary, behind its number."""
    compressor = zlib.compressobj(level=9, wbits=-15, memLevel=9, zdict=_DICTIONARIES[_CURRENT])
    return bytes([_CURRENT]) + compressor.compress(orjson.dumps(body)) + compressor.flush()


def decode(replay: bytes) -> dict[str, Any]:
    dictionary = _DICTIONARIES.get(replay[0]) if replay else None
    if dictionary is None:
        raise ValueError("an idempotency replay in an unknown format")
    decompressor = zlib.decompressobj(wbits=-15, zdict=dictionary)
    body: dict[str, Any] = orjson.loads(decompressor.decompress(replay[1:]) + decompressor.flush())
    return body
