// Resource ids: UUIDs, lowercase, from the system's CSPRNG (getrandom on Linux). Foundation's
// UUID() opened and read /dev/urandom for every id, a system call trio per created resource
// (docs/performance.md).

import Synchronization

enum RandomUUID {
    /// Version 4, all random: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, y in 8...b (RFC 9562 §5.4).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let random: UInt64 = generator.next()
        let high = (random & ~0xF000) | 0x4000
        return format(high: high, low: variant(generator.next()))
    }

    /// Version 7 (RFC 9562 §5.7): the Unix time in milliseconds, then random bits, so ids made
    /// one after the other sort one after the other. For Immunizations, which are written by the
    /// thousand: a random id puts each new row of the primary-key and history indexes on another
    /// page, and a batch of 100 then rewrote ~200 pages; time-ordered ids append to the last ones.
    /// A counter in the 12 bits after the time keeps ids of the same millisecond in order.
    static func makeTimeOrdered(nowMs: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let sequence = last.withLock { state -> UInt64 in
            let ms = UInt64(max(0, nowMs)) & 0xFFFF_FFFF_FFFF
            if ms > state.ms || state.counter >= 0xFFF {
                state = (max(ms, state.ms + (ms > state.ms ? 0 : 1)), UInt64.random(in: 0...0x7FF, using: &generator))
            } else {
                state.counter += 1
            }
            return state.ms << 16 | 0x7000 | state.counter
        }
        return format(high: sequence, low: variant(generator.next()))
    }

    /// The last version 7 id's millisecond and counter (the clock may step back: never reuse).
    private static let last = Mutex<(ms: UInt64, counter: UInt64)>((0, 0))

    private static func variant(_ random: UInt64) -> UInt64 { (random & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000 }

    /// `high` and `low` as 32 hex digits in the 8-4-4-4-12 groups.
    private static func format(high: UInt64, low: UInt64) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for position in 0..<32 {
            if position == 8 || position == 12 || position == 16 || position == 20 { text.append(UInt8(ascii: "-")) }
            let word = position < 16 ? high : low
            text.append(Hex.digits[Int((word >> UInt64(60 - 4 * (position % 16))) & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
