"""The `trygg demo` data set: demo Östersund with areas, partners, logins and two
years of synthetic reports. Idempotent and deterministic; see `trygg.demo.build`.

places, rhythm, streams, synth and texts need no database; build and people write.
"""
