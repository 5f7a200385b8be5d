import CongestionControl

/// A whole sender-path-receiver loop on virtual time for the estimator:
/// an encoder that sends each 33 ms frame at the target bitrate, a
/// bottleneck whose capacity follows a schedule with a drop-tail queue,
/// and a receiver that reports every arrival in feedback every 50 ms.
struct CongestionSimulation {
    /// One sample of the time series, every 100 ms.
    struct Sample {
        var time: Duration
        var capacity: Double
        var target: Double
        var sent: Double
        var received: Double
        var queueDelay: Duration
        var threshold = 0.0
        var signal = 0.0
        var delayBased = 0.0
        var lossLimit: Double?
        var probeResult: Double?
    }

    var capacity: (Duration) -> Double
    var oneWayDelay: Duration = .milliseconds(50)
    /// The queue holds at most this much time at the current capacity.
    var queueLimit: Duration = .milliseconds(300)
    var feedbackInterval: Duration = .milliseconds(50)
    var frameInterval: Duration = .milliseconds(33)
    var packetSize = 1_200
    /// Whether packets leave through the ``Pacer`` (else each frame leaves in one burst).
    var paced = true
    /// Whether the sender sends the probe clusters the estimator asks for.
    var probing = true
    /// Padding packets the pacer sent to fill probe clusters.
    private(set) var probesSent = 0
    var estimator = SendSideBandwidthEstimator()
    /// The probability that a packet is lost on the way, whatever the queue.
    var randomLoss = 0.0
    /// When set, the encoder never sends more than this, whatever the target (an application-limited sender).
    var applicationLimit: Double?
    private var random: UInt64 = 0x9E37_79B9_7F4A_7C15

    private(set) var samples: [Sample] = []
    private(set) var packetsSent = 0
    private(set) var packetsDropped = 0
    /// Every packet's fate, by when it left the sender: its time in the queue, or nil when it was lost.
    private(set) var queueDelays: [(send: Duration, delay: Duration?)] = []

    init(capacity: @escaping (Duration) -> Double) {
        self.capacity = capacity
    }

    mutating func run(for length: Duration) {
        var now = Duration.zero
        var sequenceNumber: UInt16 = 0
        var queueFree = Duration.zero  // when the bottleneck finishes its last accepted packet
        var pendingReport: [(sequenceNumber: UInt16, arrival: Duration?)] = []
        var inFlightFeedback: [(due: Duration, report: [(sequenceNumber: UInt16, arrival: Duration?)])] = []
        var nextFrame = Duration.zero
        var nextFeedback = feedbackInterval
        var nextSample = Duration.milliseconds(100)
        var sentBits = 0.0
        var receivedBits = 0.0
        let step = Duration.milliseconds(1)
        var frameCredit = 0.0
        var pacer = Pacer<Int>(targetBitrate: estimator.targetBitrate, configuration: .init())
        func transmit(size: Int, probeCluster: Int?) {
            let rate = capacity(now)
            let serialisation = Duration.seconds(Double(size * 8) / rate)
            let start = max(now, queueFree)
            estimator.packetSent(sequenceNumber: sequenceNumber, size: size, at: now, probeCluster: probeCluster)
            packetsSent += 1
            sentBits += Double(size * 8)
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if Double(random >> 11) / Double(1 << 53) < randomLoss || start - now > queueLimit {
                packetsDropped += 1
                pendingReport.append((sequenceNumber, nil))
                queueDelays.append((now, nil))
            } else {
                queueFree = start + serialisation
                queueDelays.append((now, queueFree - now - serialisation))
                pendingReport.append((sequenceNumber, queueFree + oneWayDelay))
                receivedBits += Double(size * 8)
            }
            sequenceNumber &+= 1
        }
        while now < length {
            // Feedback that reached the sender.
            while let first = inFlightFeedback.first, first.due <= now {
                inFlightFeedback.removeFirst()
                estimator.feedbackReceived(first.report, roundTrip: oneWayDelay * 2, at: now)
            }
            pacer.setTargetBitrate(estimator.targetBitrate)
            if now >= nextFrame {
                nextFrame += frameInterval
                frameCredit += min(estimator.targetBitrate, applicationLimit ?? .infinity) * frameInterval.seconds / 8
                while frameCredit >= Double(packetSize) {
                    frameCredit -= Double(packetSize)
                    if paced {
                        _ = pacer.enqueue(packetSize, size: packetSize, priority: .video, at: now)
                    } else {
                        transmit(size: packetSize, probeCluster: nil)
                    }
                }
            }
            if probing, !pacer.isProbing, let cluster = estimator.nextProbe(at: now) {
                pacer.startProbe(cluster, at: now)
            }
            if let wake = pacer.nextWake, wake <= now {
                while let release = pacer.next(at: now) {
                    switch release {
                    case .packet(let size, let cluster):
                        transmit(size: size, probeCluster: cluster)
                    case .padding(let size, let cluster):
                        probesSent += 1
                        transmit(size: size, probeCluster: cluster)
                    }
                }
            }
            if now >= nextFeedback {
                nextFeedback += feedbackInterval
                // What has arrived by now goes back; what is still in the queue waits.
                let arrived = pendingReport.prefix { ($0.arrival ?? .zero) <= now }
                if !arrived.isEmpty {
                    inFlightFeedback.append((now + oneWayDelay, Array(arrived)))
                    pendingReport.removeFirst(arrived.count)
                }
            }
            if now >= nextSample {
                samples.append(Sample(
                    time: now, capacity: capacity(now), target: estimator.targetBitrate, sent: sentBits * 10,
                    received: receivedBits * 10, queueDelay: max(queueFree - now, .zero),
                    threshold: estimator.overuseThreshold, signal: estimator.trendSignal,
                    delayBased: estimator.delayBasedBitrate, lossLimit: estimator.lossBasedLimit, probeResult: estimator.lastProbeResult))
                sentBits = 0
                receivedBits = 0
                nextSample += .milliseconds(100)
            }
            now += step
        }
    }
}

extension CongestionSimulation {
    /// The samples from `start` to `end`.
    func samples(from start: Duration, to end: Duration) -> [Sample] {
        samples.filter { $0.time >= start && $0.time < end }
    }

    /// The received bitrate over `start..<end` as a fraction of the capacity then.
    func utilisation(from start: Duration, to end: Duration) -> Double {
        let window = samples(from: start, to: end)
        return window.reduce(0) { $0 + $1.received } / window.reduce(0) { $0 + $1.capacity }
    }

    /// The fraction of the packets sent in `start..<end` that were lost.
    func lossFraction(from start: Duration, to end: Duration) -> Double {
        let sent = queueDelays.filter { $0.send >= start && $0.send < end }
        return Double(sent.filter { $0.delay == nil }.count) / Double(max(sent.count, 1))
    }

    /// The 95th percentile over time of the bottleneck's queue delay in
    /// `start..<end` (sampled every 100 ms).
    func queueDelayP95(from start: Duration, to end: Duration) -> Duration {
        let delays = samples(from: start, to: end).map(\.queueDelay).sorted()
        guard !delays.isEmpty else { return .zero }
        return delays[min(delays.count - 1, delays.count * 95 / 100)]
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
