/// One HTTP header sent by a poller or a receiver. The value may be a secret (a bearer token): it is
/// never printed, logged or put in an error.
public struct SecretHeader: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name): (hidden)" }
}
