import Testing

@testable import PayNotifyServer

@Suite("Drain state")
struct DrainStateTests {
    @Test("Webhooks are counted in and out until draining starts; then none enters")
    func gate() {
        let state = DrainState()
        #expect(!state.isDraining)
        #expect(state.enterWebhook())
        #expect(state.enterWebhook())
        #expect(state.webhooksInFlight == 2)
        state.startDraining()
        #expect(state.isDraining)
        #expect(!state.enterWebhook())
        #expect(state.webhooksInFlight == 2)
        state.leaveWebhook()
        state.leaveWebhook()
        #expect(state.webhooksInFlight == 0)
    }

    @Test("The drain's wait ends when its condition holds, or at its deadline")
    func wait() async {
        let state = DrainState()
        #expect(state.enterWebhook())
        let started = ContinuousClock.now
        let finished = await DrainService.wait(before: started + .milliseconds(50)) { state.webhooksInFlight == 0 }
        #expect(!finished)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        Task {
            try? await Task.sleep(for: .milliseconds(20))
            state.leaveWebhook()
        }
        #expect(await DrainService.wait(before: .now + .seconds(5)) { state.webhooksInFlight == 0 })
    }
}
