/// An optional that encodes as JSON `null` rather than being left out, for answers whose
/// documented fields are always present.
struct Nullable<Wrapped: Encodable>: Encodable {
    let value: Wrapped?

    init(_ value: Wrapped?) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = self.value { try container.encode(value) } else { try container.encodeNil() }
    }
}
