import Foundation

/// A signature header of the form `t=<timestamp>,v1=<hex>[,v1=<hex>…]` (Stripe, Casso): the
/// timestamp as sent, and every v1 signature that is valid hex. Other entries are ignored.
struct TimestampedSignatureHeader {
    let timestamp: Substring
    let signatures: [Data]

    init(_ header: String, name: String) throws(CredentialError) {
        var timestamp: Substring?
        var signatures: [Data] = []
        for item in header.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if key == "t" { timestamp = parts[1] }
            if key == "v1", let signature = Data(hex: parts[1]) { signatures.append(signature) }
        }
        guard let timestamp, !timestamp.isEmpty, !signatures.isEmpty else {
            throw CredentialError(.malformedHeader(name))
        }
        self.timestamp = timestamp
        self.signatures = signatures
    }
}
