import AnxinCore
import CSV

/// Reads the market's reference lists (`code,name_zh,name_en`).
public enum ReferenceLoader {
    /// Loads both lists named in the configuration.
    public static func load(_ paths: Configuration.Paths) throws(PipelineError) -> ReferenceData {
        ReferenceData(districts: try list(paths.districts), services: try list(paths.services))
    }

    static func list(_ path: String) throws(PipelineError) -> [ReferenceEntry] {
        do {
            let reader = try CSVReader(path: path)
            var entries: [ReferenceEntry] = []
            var header: [String]?
            while let item = try reader.next() {
                guard case .record(let r) = item else {
                    throw PipelineError.input("\(path): a malformed line in a reference list")
                }
                let fields = r.lossyFields
                if header == nil {
                    header = fields
                    guard fields.prefix(3) == ["code", "name_zh", "name_en"] else {
                        throw PipelineError.input("\(path): expected the header code,name_zh,name_en")
                    }
                    continue
                }
                guard fields.count >= 3, !fields[0].isEmpty else {
                    throw PipelineError.input("\(path): line \(r.line): expected code,name_zh,name_en")
                }
                entries.append(ReferenceEntry(code: Text.code(fields[0]), nameZH: fields[1], nameEN: fields[2]))
            }
            guard !entries.isEmpty else { throw PipelineError.input("\(path): the reference list is empty") }
            return entries
        } catch let e as PipelineError {
            throw e
        } catch {
            throw .io("\(error)")
        }
    }
}
