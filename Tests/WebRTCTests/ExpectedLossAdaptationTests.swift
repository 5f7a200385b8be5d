import Testing
import WebRTC

@Suite("Expected loss for the audio encoder, from receiver reports")
struct ExpectedLossAdaptationTests {
    @Test("the expected loss rises to the level the smoothed loss reaches, and is told only when it changes")
    func risesByLevels() {
        var adaptation = ExpectedLossAdaptation()
        #expect(adaptation.update(fractionLost: 0) == nil)
        #expect(adaptation.update(fractionLost: 0.06) == 1, "smoothed to 1.8%")
        #expect(adaptation.update(fractionLost: 0.06) == nil, "3.06%: still the 1% level")
        #expect(adaptation.update(fractionLost: 0.08) == nil, "4.5%")
        #expect(adaptation.update(fractionLost: 0.08) == 5, "5.6%")
        #expect(adaptation.percent == 5)
        #expect(adaptation.update(fractionLost: 1.0) == 20)
    }

    @Test("the expected loss falls only once the smoothed loss is below 80% of its level, so a loss near a threshold does not flap")
    func fallsWithHysteresis() {
        var adaptation = ExpectedLossAdaptation()
        #expect(adaptation.update(fractionLost: 0.05) == 5)
        #expect(adaptation.update(fractionLost: 0.045) == nil, "4.85% is above 4%")
        var steps = 0
        while adaptation.percent == 5, steps < 20 {
            _ = adaptation.update(fractionLost: 0)
            steps += 1
        }
        #expect(adaptation.percent == 1, "5% falls to 1% (not to 0) while the loss is above 0.8%")
        #expect(adaptation.smoothedLoss! < 0.04)
        #expect(adaptation.smoothedLoss! >= 0.008)
    }

    @Test("a report is noted once: the same report seen again changes nothing, and out-of-range fractions are clamped")
    func reportsNotedOnce() {
        var adaptation = ExpectedLossAdaptation()
        #expect(adaptation.note(RemoteLossReport(reportsReceived: 1, fractionLost: 0.2)) == 20)
        #expect(adaptation.note(RemoteLossReport(reportsReceived: 1, fractionLost: 0)) == nil)
        #expect(adaptation.reportsSeen == 1)
        var clamped = ExpectedLossAdaptation()
        #expect(clamped.update(fractionLost: 7) == 20)
        #expect(clamped.smoothedLoss == 1)
    }
}
