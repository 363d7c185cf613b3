// TinifyArchitectures: the one cursor every module declaration runs against.
//
// A module declares each tensor once, `scope.tensor("weight", [.N, .M, .const(5), .const(5)])`,
// inside `scope.child("g_a") { … }`. Run without a store, the scope records the declarations
// (the Schemas/ manifests, the HDF5 roles); run over a store, it binds each key to its tensor
// and records every missing, mis-shaped or mistyped one. Nothing stops at the first problem.
import TinifyCore

/// A declared tensor and, when bound, the checkpoint's tensor for it.
package struct BoundTensor: Sendable {
    /// The PyTorch key.
    package let key: String
    /// The checkpoint's tensor (nil when recording a schema, or when it is missing).
    package let tensor: Tensor?
}

/// The cursor module declarations run against: it records declarations and binds tensors.
package final class ParameterScope {
    /// The hyperparameters the shapes are evaluated with.
    package let hyperparameters: Hyperparameters
    private let store: [String: Tensor]?
    /// Every declaration, in PyTorch's state-dict order.
    package private(set) var declarations: [TensorDecl] = []
    /// Problems found while binding.
    package private(set) var problems: [Problem] = []
    /// Sizes the checkpoint gave to dynamic dimensions, by scoped name (`entropy_bottleneck.L`).
    package private(set) var dynamicSizes: [String: Int] = [:]
    /// Dynamic buffers that are empty in the checkpoint (`update()` never ran).
    package private(set) var emptyDynamicKeys: [String] = []
    /// Dynamic buffers that are filled.
    package private(set) var filledDynamicKeys: [String] = []
    private var path: [String] = []
    private var modules: [String] = ["CompressionModel"]

    /// A scope that records declarations only.
    package init(recording h: Hyperparameters) {
        hyperparameters = h
        store = nil
    }

    /// A scope that binds declarations to `store`'s tensors.
    package init(binding store: [String: Tensor], _ h: Hyperparameters) {
        hyperparameters = h
        self.store = store
    }

    /// The current key prefix, e.g. `g_a.1.`.
    package var prefix: String { path.isEmpty ? "" : path.joined(separator: ".") + "." }

    /// Runs `body` inside the child module `name` of type `type`.
    @discardableResult
    package func child<T>(_ name: String, _ type: String, _ body: (ParameterScope) -> T) -> T {
        path.append(name); modules.append(type)
        defer { path.removeLast(); modules.removeLast() }
        return body(self)
    }

    /// Declares (and binds) the tensor `name` of this module.
    @discardableResult
    package func tensor(_ name: String, _ shape: [Dim], role: Role = .parameter, kind: ElementKind = .float) -> BoundTensor {
        let key = prefix + name
        let module = modules.last ?? ""
        let scoped: [Dim] = shape.map { if case .dynamic(let n) = $0 { return .dynamic(prefix + n) }; return $0 }
        declarations.append(TensorDecl(key: key, shape: scoped, role: role, kind: kind, module: module))
        guard let store else { return BoundTensor(key: key, tensor: nil) }
        guard let t = store[key] else {
            problems.append(Problem(.missing, key, expected: shapeText(scoped, hyperparameters, dynamicSizes), module: module))
            return BoundTensor(key: key, tensor: nil)
        }
        let dtypeOK = kind == .float ? t.dtype.isFloatingPoint : !(t.dtype.isFloatingPoint || t.dtype == .bool || t.dtype == .complex64 || t.dtype == .complex128)
        if !dtypeOK {
            problems.append(Problem(.dtypeMismatch, key, expected: kind == .float ? "a floating-point dtype" : "an integer dtype", actual: t.dtype.name, module: module))
        }
        if role == .dynamicBuffer && t.shape == [0] {
            emptyDynamicKeys.append(key)
            return BoundTensor(key: key, tensor: t)
        }
        if role == .dynamicBuffer { filledDynamicKeys.append(key) }
        var ok = t.shape.count == scoped.count
        if ok {
            for (d, actual) in zip(scoped, t.shape) {
                if case .dynamic(let n) = d {
                    if let bound = dynamicSizes[n] { ok = ok && bound == actual } else { dynamicSizes[n] = actual }
                } else if d.value(hyperparameters) != actual {
                    ok = false
                }
            }
        }
        if !ok {
            let kind: ProblemKind = role == .dynamicBuffer && t.shape.count == scoped.count ? .inconsistentCDF : .shapeMismatch
            problems.append(Problem(kind, key, expected: shapeText(scoped, hyperparameters, dynamicSizes), actual: shapeText(t.shape), module: module))
        }
        return BoundTensor(key: key, tensor: t)
    }

    /// Adds a problem found by a module's own consistency check.
    package func report(_ p: Problem) { problems.append(p) }

    /// Whether this scope binds a store.
    package var isBinding: Bool { store != nil }
}

/// Hands out PyTorch `nn.Sequential` indices, parameterless slots (ReLU, PixelShuffle) included.
package final class SequentialScope {
    private let scope: ParameterScope
    private var index = 0

    /// A sequential over `scope`'s current module.
    init(_ scope: ParameterScope) { self.scope = scope }

    /// Declares the next slot's module of type `type` through `body`.
    package func next<T>(_ type: String, _ body: (ParameterScope) -> T) -> T {
        defer { index += 1 }
        return scope.child(String(index), type, body)
    }

    /// Skips a slot that holds no tensors (an activation).
    package func slot() { index += 1 }
}

extension ParameterScope {
    /// Runs `body` over the `nn.Sequential` child `name`.
    @discardableResult
    package func sequential<T>(_ name: String, _ body: (SequentialScope) -> T) -> T {
        child(name, "Sequential") { body(SequentialScope($0)) }
    }
}
