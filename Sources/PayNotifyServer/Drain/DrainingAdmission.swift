import EngineIO
import HTTPTypes

/// Refuses new Engine.IO sessions while the node drains (polling gets 503, an upgrade is
/// refused), so clients connect to another node; otherwise asks the policy it wraps.
struct DrainingAdmission: EngineIOAdmissionPolicy {
    let state: DrainState
    let policy: any EngineIOAdmissionPolicy

    func admit(_ request: EngineIOConnectionRequest) -> EngineIOAdmission {
        guard !self.state.isDraining else {
            return .refused(EngineIORequestError(.badRequest, detail: "server is shutting down", status: .serviceUnavailable))
        }
        return self.policy.admit(request)
    }
}
