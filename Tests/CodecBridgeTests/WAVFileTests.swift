import CodecBridge
import Testing

@Suite("WAV files")
struct WAVFileTests {
    typealias Files = WAVTestFiles

    @Test("a second of tone written then read back gives identical frames, header fields and chunk sizes")
    func roundTrip() throws {
        for (sampleRate, channelCount, frequency) in [(48_000, 1, 440.0), (48_000, 2, 440.0), (44_100, 2, 1_000.0)] {
            var tone = try ToneSource(frequency: frequency, sampleRate: sampleRate, channelCount: channelCount)
            let frames = (0..<50).map { _ in tone.nextFrame() }
            let path = TestFixtures.temporaryPath(".wav")
            defer { TestFixtures.remove(path) }
            let writer = try WAVWriter(path: path, sampleRate: sampleRate, channelCount: channelCount)
            for frame in frames { try writer.write(frame) }
            try writer.close()
            try writer.close()
            #expect(writer.samplesWritten == sampleRate, "one second per channel")

            let dataSize = sampleRate * channelCount * 2
            let bytes = try TestFixtures.contents(of: path)
            #expect(bytes.count == 44 + dataSize)
            #expect(Array(bytes[0..<4]) == Array("RIFF".utf8) && Array(bytes[8..<16]) == Array("WAVEfmt ".utf8))
            #expect(Files.uint32(bytes, at: 4) == bytes.count - 8, "RIFF size")
            #expect(Files.uint32(bytes, at: 16) == 16, "fmt size")
            #expect(Files.uint16(bytes, at: 20) == 1, "format tag PCM")
            #expect(Files.uint16(bytes, at: 22) == channelCount)
            #expect(Files.uint32(bytes, at: 24) == sampleRate)
            #expect(Files.uint32(bytes, at: 28) == sampleRate * channelCount * 2, "byte rate")
            #expect(Files.uint16(bytes, at: 32) == channelCount * 2, "block align")
            #expect(Files.uint16(bytes, at: 34) == 16, "bits per sample")
            #expect(Array(bytes[36..<40]) == Array("data".utf8))
            #expect(Files.uint32(bytes, at: 40) == dataSize && dataSize == bytes.count - 44, "data size")
            #expect(Array(bytes.prefix(44)) == writer.header.serialized())

            let reader = try WAVReader(path: path)
            #expect(reader.header == (try WAVHeader(sampleRate: sampleRate, channelCount: channelCount, dataByteCount: dataSize)))
            #expect(reader.sampleRate == sampleRate && reader.channelCount == channelCount)
            #expect(reader.dataOffset == 44)
            #expect(reader.samplesPerFrame == sampleRate / 50 && reader.frameDuration == .milliseconds(20))
            #expect(reader.header.samplesPerChannel == sampleRate && reader.header.duration == .seconds(1))
            var readBack: [AudioFrame] = []
            while let frame = try reader.readFrame() { readBack.append(frame) }
            #expect(readBack == frames, "samples, rates, channels and timestamps (n × 20 ms) survive")
            #expect(try reader.readFrame() == nil, "an ended reader stays ended")
            #expect(reader.framesRead == 50)
            reader.close()
        }
    }

    @Test("while streaming the header says 'size unknown', a reader gets every sample so far, and close patches the sizes")
    func streaming() throws {
        let path = TestFixtures.temporaryPath(".wav")
        defer { TestFixtures.remove(path) }
        var tone = try ToneSource(sampleRate: 16_000, channelCount: 2)
        let frames = (0..<3).map { _ in tone.nextFrame() }
        let writer = try WAVWriter(path: path, sampleRate: 16_000, channelCount: 2)
        for frame in frames { try writer.write(frame) }

        let partial = try TestFixtures.contents(of: path)
        #expect(partial.count == 44 + 3 * 320 * 4)
        #expect(Files.uint32(partial, at: 4) == 0xFFFF_FFFF && Files.uint32(partial, at: 40) == 0xFFFF_FFFF)
        let follower = try WAVReader(path: path)
        #expect(follower.header.hasUnknownDataSize && follower.header.samplesPerChannel == nil)
        var followed: [AudioFrame] = []
        while let frame = try follower.nextFrame() { followed.append(frame) }
        #expect(followed == frames)

        try writer.close()
        let closed = try TestFixtures.contents(of: path)
        #expect(Files.uint32(closed, at: 4) == closed.count - 8 && Files.uint32(closed, at: 40) == 3 * 320 * 4)
        #expect(writer.header.dataByteCount == 3 * 320 * 4 && writer.samplesWritten == 960)
        #expect { try writer.write([1, 2]) } throws: { ($0 as? CodecError)?.code == .fileAccessFailed }
    }

    @Test("with an unknown data size the samples run to the end of the file, a partial instant dropped")
    func unknownSizeToEndOfFile() throws {
        let samples = Files.ramp(count: 10)
        let bytes = Files.file(
            Files.chunk("fmt ", Files.formatBody(channels: 2)),
            Array("data".utf8) + Files.le32(0xFFFF_FFFF) + Files.pcm(samples) + [0x12, 0x34]
        )
        let path = try TestFixtures.temporaryFile(containing: bytes, suffix: ".wav")
        defer { TestFixtures.remove(path) }
        let reader = try WAVReader(path: path)
        let frame = try #require(try reader.nextFrame())
        #expect(frame.samples.count == 160 * 2)
        #expect(Array(frame.samples.prefix(10)) == samples)
        #expect(frame.samples.dropFirst(10).allSatisfy { $0 == 0 })
        #expect(try reader.nextFrame() == nil)
    }

    @Test("LIST, JUNK and odd-sized chunks before data are skipped; chunks after data are not read as samples")
    func unknownChunks() throws {
        let samples = Files.ramp(count: 200)
        let bytes = Files.file(
            Files.chunk("fmt ", Files.formatBody(channels: 2, sampleRate: 8_000)),
            Files.chunk("LIST", Array("INFOISFT\u{5}\0\0\0abc".utf8)),
            Files.chunk("JUNK", [UInt8](repeating: 0, count: 6)),
            Files.chunk("data", Files.pcm(samples)),
            Files.chunk("LIST", Array("INFOICMT\u{4}\0\0\0note".utf8))
        )
        #expect(Files.uint32(bytes, at: 40) == 15, "the first LIST chunk has an odd size")
        let path = try TestFixtures.temporaryFile(containing: bytes, suffix: ".wav")
        defer { TestFixtures.remove(path) }
        let reader = try WAVReader(path: path)
        #expect(reader.header == (try WAVHeader(sampleRate: 8_000, channelCount: 2, dataByteCount: 400)))
        #expect(reader.dataOffset == 12 + 24 + 24 + 14 + 8)
        #expect(try WAVHeader(parsing: bytes) == reader.header)
        let frame = try #require(try reader.nextFrame())
        #expect(frame.samplesPerChannel == 160 && frame.channelCount == 2 && frame.timestamp == .zero)
        #expect(Array(frame.samples.prefix(200)) == samples)
        #expect(frame.samples.dropFirst(200).allSatisfy { $0 == 0 }, "the partial frame is padded with silence")
        #expect(try reader.nextFrame() == nil)
    }

    @Test("WAVE_FORMAT_EXTENSIBLE with the PCM subformat reads like format tag 1")
    func extensibleFormat() throws {
        let samples = Files.ramp(count: 640)
        let bytes = Files.file(
            Files.chunk("fmt ", Files.extensibleFormatBody(channels: 1, sampleRate: 16_000)),
            Files.chunk("fact", Files.le32(640)),
            Files.chunk("data", Files.pcm(samples))
        )
        let path = try TestFixtures.temporaryFile(containing: bytes, suffix: ".wav")
        defer { TestFixtures.remove(path) }
        let reader = try WAVReader(path: path)
        #expect(reader.sampleRate == 16_000 && reader.channelCount == 1 && reader.samplesPerFrame == 320)
        let first = try #require(try reader.nextFrame())
        let second = try #require(try reader.nextFrame())
        #expect(first.samples + second.samples == samples)
        #expect(second.timestamp == .milliseconds(20))
        #expect(try reader.nextFrame() == nil)
    }

    @Test("a header serializes to the canonical 44 bytes and parses back equal")
    func headerRoundTrip() throws {
        let header = try WAVHeader(sampleRate: 44_100, channelCount: 2, dataByteCount: 1_764)
        let bytes = header.serialized()
        #expect(bytes.count == WAVHeader.size && header.serializedSize == 44)
        #expect(try WAVHeader(parsing: bytes) == header)
        #expect(header.blockAlign == 4 && header.byteRate == 176_400 && header.riffSize == 1_800)
        #expect(header.samplesPerChannel == 441 && header.duration == .milliseconds(10))
        for (rate, channels, size) in [(0, 1, 0), (48_000, 0, 0), (48_000, 65, 0), (48_000, 1, -2), (800_000, 1, 0)] {
            #expect { try WAVHeader(sampleRate: rate, channelCount: channels, dataByteCount: size) } throws: {
                ($0 as? CodecError)?.code == .invalidConfiguration
            }
        }
    }

    @Test("non-PCM formats, bad fields and non-WAV files throw malformed-header, from memory and from a file")
    func malformedHeaders() throws {
        let data = Files.chunk("data", Files.pcm([1, 2, 3, 4]))
        let format = Files.chunk("fmt ", Files.formatBody())
        let cases: [(String, [UInt8])] = [
            ("not RIFF", Files.file(format, data, signature: "JUNK")),
            ("big-endian RIFX", Files.file(format, data, signature: "RIFX")),
            ("RF64", Files.file(format, data, signature: "RF64")),
            ("not WAVE", Files.file(format, data, form: "AVI ")),
            ("IEEE float (tag 3)", Files.file(Files.chunk("fmt ", Files.formatBody(tag: 3, bits: 32)), data)),
            ("A-law (tag 6)", Files.file(Files.chunk("fmt ", Files.formatBody(tag: 6, bits: 8)), data)),
            ("MP3 (tag 0x55)", Files.file(Files.chunk("fmt ", Files.formatBody(tag: 0x55)), data)),
            ("extensible float", Files.file(
                Files.chunk("fmt ", Files.extensibleFormatBody(channels: 1, sampleRate: 8_000, subformat: Files.floatSubformat)),
                data
            )),
            ("extensible without its extension", Files.file(Files.chunk("fmt ", Files.formatBody(tag: 0xFFFE) + Files.le16(0)), data)),
            ("8-bit PCM", Files.file(Files.chunk("fmt ", Files.formatBody(bits: 8)), data)),
            ("24-bit PCM", Files.file(Files.chunk("fmt ", Files.formatBody(bits: 24)), data)),
            ("no channels", Files.file(Files.chunk("fmt ", Files.formatBody(channels: 0, blockAlign: 2)), data)),
            ("100 channels", Files.file(Files.chunk("fmt ", Files.formatBody(channels: 100)), data)),
            ("zero sample rate", Files.file(Files.chunk("fmt ", Files.formatBody(sampleRate: 0)), data)),
            ("wrong block align", Files.file(Files.chunk("fmt ", Files.formatBody(channels: 2, blockAlign: 2)), data)),
            ("fmt chunk of 14 bytes", Files.file(Files.chunk("fmt ", Array(Files.formatBody().prefix(14))), data)),
            ("fmt chunk claiming 2,000 bytes", Files.file(Files.chunk("fmt ", Files.formatBody(), declaredSize: 2_000), data)),
            ("data before fmt", Files.file(data, format)),
            ("two fmt chunks", Files.file(format, format, data)),
            ("LIST chunk claiming 2 GB", Files.file(format, Files.chunk("LIST", [1, 2, 3, 4], declaredSize: 0x7FFF_FFFF), data)),
        ]
        for (name, bytes) in cases {
            #expect("\(name), in memory") { try WAVHeader(parsing: bytes) } throws: {
                ($0 as? CodecError)?.code == .malformedHeader
            }
            let path = try TestFixtures.temporaryFile(containing: bytes, suffix: ".wav")
            defer { TestFixtures.remove(path) }
            #expect("\(name), from a file") { try WAVReader(path: path) } throws: {
                ($0 as? CodecError)?.code == .malformedHeader
            }
        }
    }

    @Test("every truncation of a file (header, LIST chunk, data) throws truncated-file; only the whole file reads")
    func truncations() throws {
        let bytes = Files.file(
            Files.chunk("fmt ", Files.formatBody()),
            Files.chunk("LIST", Array("INFOx".utf8)),
            Files.chunk("data", Files.pcm(Files.ramp(count: 10)))
        )
        #expect(bytes.count == 12 + 24 + 14 + 28)
        for length in 0...bytes.count {
            let path = try TestFixtures.temporaryFile(containing: Array(bytes.prefix(length)), suffix: ".wav")
            defer { TestFixtures.remove(path) }
            var code: CodecError.Code?
            var frames = 0
            do {
                let reader = try WAVReader(path: path)
                while try reader.nextFrame() != nil { frames += 1 }
            } catch let error as CodecError {
                code = error.code
            }
            if length == bytes.count {
                #expect(code == nil && frames == 1)
            } else {
                #expect(code == .truncatedFile, "length \(length)")
            }
        }
        #expect { try WAVHeader(parsing: Array(bytes.prefix(30))) } throws: {
            ($0 as? CodecError)?.code == .truncatedFile
        }
    }

    @Test("random damage to a header throws truncated-file or malformed-header, or parses in range; never traps")
    func randomDamage() throws {
        let valid = Files.file(
            Files.chunk("fmt ", Files.formatBody(channels: 2, sampleRate: 22_050)),
            Files.chunk("LIST", Array("INFOabcd".utf8)),
            Files.chunk("data", Files.pcm([1, 2]))
        )
        var generator = SeededGenerator(seed: 2_024)
        for _ in 0..<3_000 {
            var bytes = Array(valid.prefix(Int.random(in: 0...valid.count, using: &generator)))
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do {
                let header = try WAVHeader(parsing: bytes)
                #expect((1...AudioFrame.maximumSampleRate).contains(header.sampleRate))
                #expect((1...AudioFrame.maximumChannelCount).contains(header.channelCount))
            } catch let error as CodecError {
                #expect([.truncatedFile, .malformedHeader].contains(error.code), "\(error)")
            }
        }
    }

    @Test("looping starts over at the first sample inside a frame and timestamps keep increasing by 20 ms")
    func looping() throws {
        let samples = Files.ramp(count: 2_500)
        let path = TestFixtures.temporaryPath(".wav")
        defer { TestFixtures.remove(path) }
        let writer = try WAVWriter(path: path, sampleRate: 48_000, channelCount: 1)
        try writer.write(samples)
        try writer.close()

        let looping = try WAVReader(path: path, loops: true)
        for index in 0..<10 {
            let frame = try #require(try looping.readFrame())
            #expect(frame.timestamp == .milliseconds(20 * index))
            #expect(frame.samples == (0..<960).map { samples[(index * 960 + $0) % 2_500] }, "frame \(index)")
        }
        #expect(looping.framesRead == 10)

        let once = try WAVReader(path: path)
        var frames: [AudioFrame] = []
        while let frame = try once.readFrame() { frames.append(frame) }
        #expect(frames.map(\.timestamp) == [.zero, .milliseconds(20), .milliseconds(40)])
        #expect(frames.flatMap(\.samples) == samples + [Int16](repeating: 0, count: 380), "the last frame is padded")
    }

    @Test("an empty file ends at once, even when looping")
    func emptyData() throws {
        let path = TestFixtures.temporaryPath(".wav")
        defer { TestFixtures.remove(path) }
        try WAVWriter(path: path, sampleRate: 8_000, channelCount: 1).close()
        #expect(try TestFixtures.contents(of: path).count == 44)
        #expect(try WAVReader(path: path, loops: true).readFrame() == nil)
        #expect(try WAVReader(path: path).readFrame() == nil)
    }

    @Test("the frame length can be set: 441 samples give 10 ms frames at 44.1 kHz; 0, -1 and over the maximum are refused")
    func frameLength() throws {
        let path = TestFixtures.temporaryPath(".wav")
        defer { TestFixtures.remove(path) }
        let writer = try WAVWriter(path: path, sampleRate: 44_100, channelCount: 2)
        try writer.write(Files.ramp(count: 2 * 882))
        try writer.close()
        let reader = try WAVReader(path: path, samplesPerFrame: 441)
        #expect(reader.frameDuration == .milliseconds(10))
        let first = try #require(try reader.readFrame())
        let second = try #require(try reader.readFrame())
        #expect(first.samplesPerChannel == 441 && first.duration == .milliseconds(10))
        #expect(second.timestamp == .milliseconds(10))
        #expect(try reader.readFrame() == nil, "882 instants are two frames of 441")
        for bad in [0, -1, AudioFrame.maximumSamplesPerChannel + 1] {
            #expect { try WAVReader(path: path, samplesPerFrame: bad) } throws: {
                ($0 as? CodecError)?.code == .invalidConfiguration
            }
        }
    }

    @Test("the writer refuses frames of another rate or channel count, partial instants and bad settings")
    func writerChecks() throws {
        let path = TestFixtures.temporaryPath(".wav")
        defer { TestFixtures.remove(path) }
        let writer = try WAVWriter(path: path, sampleRate: 48_000, channelCount: 2)
        let wrongRate = AudioFrame(samples: [0, 0], sampleRate: 44_100, channelCount: 2)
        let wrongChannels = AudioFrame(samples: [0, 0], sampleRate: 48_000, channelCount: 1)
        let partial = AudioFrame(samples: [0, 0, 0], sampleRate: 48_000, channelCount: 2)
        for frame in [wrongRate, wrongChannels, partial] {
            #expect { try writer.write(frame) } throws: { ($0 as? CodecError)?.code == .invalidInput }
        }
        #expect { try writer.write([1, 2, 3]) } throws: { ($0 as? CodecError)?.code == .invalidInput }
        #expect(writer.samplesWritten == 0)
        try writer.close()
        for (rate, channels) in [(0, 1), (48_000, 0), (48_000, 65), (1_000_000, 2)] {
            #expect { try WAVWriter(path: path, sampleRate: rate, channelCount: channels) } throws: {
                ($0 as? CodecError)?.code == .invalidConfiguration
            }
        }
    }
}
