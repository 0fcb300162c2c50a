//! SplitMix64 (Steele, Lea and Flood, 2014), the step every generator of
//! benchmark and evaluation text draws from: small, fast, and the same
//! numbers on every machine, so a seed always gives the same text. Shared
//! through `#[path]` by `dumpgen.rs`, `benches/near_scale/generate.rs` and
//! `tests/neardup/mod.rs`.

/// Advances `state` and returns the next number.
pub fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
