import CongestionControl
import Testing

@Suite("Loss-based controller")
struct LossBasedControllerTests {
    @Test("3 of 20 packets lost (15%, common at 5% random loss) does not lower the limit; 5 of 20 does, to (1 - loss/2) of the rate")
    func fewLossesAreChance() {
        var controller = LossBasedController()
        for step in 0..<20 {
            controller.add(lost: 3, of: 20, target: 1_000_000, roundTrip: .milliseconds(50), at: .milliseconds(500 * step))
        }
        #expect(controller.limit == nil, "chance, not congestion")
        #expect(controller.lossFraction == 0.15, "the statistic keeps the measured loss")
        controller.add(lost: 5, of: 20, target: 1_000_000, roundTrip: .milliseconds(50), at: .seconds(11))
        #expect(controller.limit == 1_000_000 * (1 - 0.25 / 2))
    }
}
