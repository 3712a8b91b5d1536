/// Everything that stops a run, each with a message a user can act on and an exit code.
public enum PipelineError: Error, CustomStringConvertible, Equatable {
    /// The configuration (or a command-line value) is wrong: fix it and run again.
    case config(String)
    /// An input cannot be used as a whole (missing column, no header): fix the extract or its
    /// header aliases.
    case input(String)
    /// A file could not be read or written.
    case io(String)
    /// A dataset written by an earlier stage is missing or was altered.
    case dataset(String)
    /// A gate stopped the run before the cards stage: the inputs changed too much.
    case gate(String)
    /// Another run holds the work folder's lock.
    case locked(String)

    public var description: String {
        switch self {
        case .config(let m), .input(let m), .io(let m), .dataset(let m), .gate(let m), .locked(let m): return m
        }
    }

    /// The process exit code the README documents.
    public var exitCode: Int32 {
        switch self {
        case .config, .input: return 2
        case .io, .dataset: return 1
        case .gate: return 3
        case .locked: return 75
        }
    }
}
