extension QRMatrix {
    /// An SVG of the code: a light square and one `<path>` of the dark modules, drawn in module
    /// units (so it scales cleanly) and sized `moduleSize` pixels a module, with a light border
    /// of `quietZone` modules. Self-contained and deterministic.
    public func svg(moduleSize: Int = 8, quietZone: Int = 4) -> String {
        precondition(moduleSize > 0 && quietZone >= 0, "module size must be positive and the quiet zone not negative")
        let across = size + 2 * quietZone
        let pixels = across * moduleSize
        // Runs of dark modules in a row become one rectangle each: about half the text of one
        // square a module, and crispEdges keeps the seams between rows from showing.
        var path = ""
        path.reserveCapacity(size * size * 4)
        for row in 0..<size {
            var column = 0
            while column < size {
                guard modules[row * size + column] else { column += 1; continue }
                let start = column
                while column < size && modules[row * size + column] { column += 1 }
                let run = column - start
                path += "M\(start + quietZone) \(row + quietZone)h\(run)v1h-\(run)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(across) \(across)" shape-rendering="crispEdges">\
            <rect width="\(across)" height="\(across)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>

            """
    }
}
