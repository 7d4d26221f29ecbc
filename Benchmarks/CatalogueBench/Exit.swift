#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func exitProcess(_ code: Int32) -> Never { exit(code) }
