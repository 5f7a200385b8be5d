import Foundation
import ICEKit

#if canImport(Glibc)
import Glibc
#endif

/// Resolves STUN and TURN server host names with the system resolver
/// (getaddrinfo), on a Dispatch thread: a lookup can block for seconds, and
/// must not hold one of Swift's few cooperative threads meanwhile.
enum HostResolver {
    /// The addresses of `host` for UDP, IPv4 ones first; an IP literal is
    /// returned as it is.
    static func resolve(_ host: String, port: UInt16) async throws(PeerConnectionError) -> [ICETransportAddress] {
        if let literal = ICETransportAddress(host: host, port: port) { return [literal] }
        let addresses = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: lookUp(host, port: port)) }
        }
        guard !addresses.isEmpty else {
            throw PeerConnectionError(.invalidConfiguration, "\(host) does not resolve to an address")
        }
        return addresses
    }

    private static func lookUp(_ host: String, port: UInt16) -> [ICETransportAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [ICETransportAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            let family = current.pointee.ai_family
            if let socketAddress = current.pointee.ai_addr {
                if family == AF_INET {
                    socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                        var raw = ipv4.pointee.sin_addr
                        _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                    }
                } else if family == AF_INET6 {
                    socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                        var raw = ipv6.pointee.sin6_addr
                        _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                    }
                }
            }
            let literal = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let address = ICETransportAddress(host: literal, port: port), !addresses.contains(address) {
                addresses.append(address)
            }
            entry = current.pointee.ai_next
        }
        return addresses.filter { $0.family == .ipv4 } + addresses.filter { $0.family == .ipv6 }
    }
}
