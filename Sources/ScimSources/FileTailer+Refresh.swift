#if canImport(Glibc)
import Glibc
#endif
import ScimCore

extension FileTailer {
    /// Looks at the file system: new files, rotations, truncations and files that went away.
    public func refresh<S: TailSink>(into sink: inout S) {
        var seen: [FileIdentity: String] = [:]
        for path in expandPatterns() {
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            guard (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            if seen[identity] == nil { seen[identity] = path }
        }
        for (identity, path) in seen.sorted(by: { $0.value < $1.value }) {
            if let file = files[identity] {
                file.missingRefreshes = 0
                file.path = path
                pathOwners[path] = identity
                checkForTruncation(file, into: &sink)
            } else {
                open(identity: identity, path: path, into: &sink)
            }
        }
        for file in trackedFiles where seen[file.identity] == nil {
            file.missingRefreshes += 1
            if let st = file.statDescriptor() { file.size = st.size }
        }
        if firstRefresh { resolveRestoredElsewhere(into: &sink) }
        firstRefresh = false
    }

    /// Closes files that went away and have been read to their end.
    func forgetDrainedFiles() {
        for file in trackedFiles where file.missingRefreshes > configuration.missingGraceRefreshes && file.readOffset >= file.size {
            files[file.identity] = nil
            if pathOwners[file.path] == file.identity { pathOwners[file.path] = nil }
        }
    }

    private func checkForTruncation<S: TailSink>(_ file: TrackedFile, into sink: inout S) {
        guard let st = file.statDescriptor() else {
            recordError(TailError(path: file.path, operation: "stat", errno: errno))
            return
        }
        file.size = st.size
        // Shorter than what was read, or different first bytes: truncated (copytruncate) and maybe rewritten.
        if st.size < file.readOffset || !file.startsWithHead() {
            logger.info("log truncated, reading from the start", metadata: ["source": "\(configuration.source)", "path": "\(file.path)"])
            file.rewind()
            sink.receiveRotation(.truncate, source: sourceIndex)
        }
    }

    private func open<S: TailSink>(identity: FileIdentity, path: String, into sink: inout S) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            recordError(TailError(path: path, operation: "open", errno: errno))
            return
        }
        var st = stat()
        guard fstat(fd, &st) == 0,
              FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)) == identity else {
            close(fd) // replaced between stat and open: the next refresh sees the new file
            return
        }
        reportedErrors.remove(path)
        let file = TrackedFile(identity: identity, path: path, descriptor: fd, offset: 0)
        file.size = Int64(st.st_size)
        if let stored = restored.removeValue(forKey: identity) {
            if !file.resume(from: stored, limit: configuration.fingerprintBytes) {
                logRewrittenWhileStopped(path)
                sink.receiveRotation(.truncate, source: sourceIndex)
            }
        } else if firstRefresh, configuration.startAtEnd {
            file.skipToEnd(limit: configuration.fingerprintBytes)
        }
        if let previous = pathOwners[path], previous != identity, let old = files[previous] {
            // The path now names another file: the old one was renamed away or deleted.
            let kind: RotationKind = (old.statDescriptor()?.links ?? 0) == 0 ? .recreate : .rename
            sink.receiveRotation(kind, source: sourceIndex)
        }
        pathOwners[path] = identity
        files[identity] = file
    }

    /// Stored files no pattern matches were rotated while stopped: find each by inode in its old
    /// directory (for example `app.log` renamed to `app.log.1`) and drain it from its stored offset.
    private func resolveRestoredElsewhere<S: TailSink>(into sink: inout S) {
        for (identity, stored) in restored {
            restored[identity] = nil
            guard let path = find(identity, near: stored.path) else {
                logger.warning("a file read before the stop is gone; lines written to it after the last checkpoint are lost",
                               metadata: ["source": "\(configuration.source)", "path": "\(stored.path)"])
                continue
            }
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            let file = TrackedFile(identity: identity, path: path, descriptor: fd, offset: 0)
            file.size = file.statDescriptor()?.size ?? 0
            if !file.resume(from: stored, limit: configuration.fingerprintBytes) {
                logRewrittenWhileStopped(path)
            }
            file.missingRefreshes = 1
            files[identity] = file
            sink.receiveRotation(.rename, source: sourceIndex)
        }
    }

    /// Looks for the file in the directory of `path` and, when `path` is a symlink, in the directory it
    /// points into: a link swapped while stopped leaves the file read before in its own directory.
    private func find(_ identity: FileIdentity, near path: String) -> String? {
        var directories = [directory(of: path)]
        if let resolved = realpath(path, nil) {
            directories.append(directory(of: String(cString: resolved)))
            free(resolved)
        }
        for d in Set(directories).sorted() {
            if let found = findInDirectory(d, identity: identity) { return found }
        }
        return nil
    }

    private func directory(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    }

    private func logRewrittenWhileStopped(_ path: String) {
        logger.info("log truncated or replaced while stopped, reading from the start",
                    metadata: ["source": "\(configuration.source)", "path": "\(path)"])
    }

    private func findInDirectory(_ directory: String, identity: FileIdentity) -> String? {
        guard let dir = opendir(directory.isEmpty ? "/" : directory) else { return nil }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            let candidate = directory + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, UInt64(st.st_dev) == identity.device, UInt64(st.st_ino) == identity.inode {
                return candidate
            }
        }
        return nil
    }

    func expandPatterns() -> [String] {
        var paths: [String] = []
        for pattern in configuration.patterns {
            var result = glob_t()
            defer { globfree(&result) }
            let status = glob(pattern, 0, nil, &result)
            if status == GLOB_NOMATCH { continue }
            guard status == 0 else {
                recordError(TailError(path: pattern, operation: "list", errno: errno))
                continue
            }
            for i in 0..<Int(result.gl_pathc) {
                if let p = result.gl_pathv[i] { paths.append(String(cString: p)) }
            }
        }
        return paths
    }

    func recordError(_ error: TailError) {
        readErrors += 1
        lastError = error
        if reportedErrors.insert(error.path).inserted {
            logger.error("\(error.description); retrying", metadata: ["source": "\(configuration.source)"])
        }
    }
}
