/// Messages exactly as the seed's pages send them: `JSON.stringify` of the
/// message object, with `pc.localDescription` and `event.candidate` inside.
enum BrowserMessages {
    /// The SDP text of a Chrome offer, shortened; the JSON text below escapes its CRLFs.
    static let offerSDP =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtpmap:96 VP8/90000\r\n"
    static let answerSDP =
        "v=0\r\no=- 7301226384010347203 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=recvonly\r\na=rtpmap:96 VP8/90000\r\n"
    static let candidateLine =
        "candidate:842163049 1 udp 1677729535 192.0.2.10 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXmB network-cost 999"

    static let sender = #"{"type":"sender"}"#
    static let receiver = #"{"type":"receiver"}"#
    static let createOffer =
        #"{"type":"createOffer","sdp":{"type":"offer","sdp":"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtpmap:96 VP8/90000\r\n"}}"#
    static let createAnswer =
        #"{"type":"createAnswer","sdp":{"type":"answer","sdp":"v=0\r\no=- 7301226384010347203 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=recvonly\r\na=rtpmap:96 VP8/90000\r\n"}}"#
    static let iceCandidate =
        #"{"type":"iceCandidate","candidate":{"candidate":"candidate:842163049 1 udp 1677729535 192.0.2.10 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXmB network-cost 999","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"sXmB"}}"#
    static let endOfCandidates = #"{"type":"iceCandidate","candidate":null}"#

    /// An iceCandidate with a given candidate line, to tell several apart.
    static func iceCandidate(_ number: Int) -> String {
        #"{"type":"iceCandidate","candidate":{"candidate":"candidate:\#(number) 1 udp 2122260223 192.0.2.1 5000\#(number) typ host","sdpMid":"0","sdpMLineIndex":0}}"#
    }
}
