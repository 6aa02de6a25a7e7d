namespace TorchSharp.PInvoke;

// Mirrors the op codes of native/src/ops.cpp; keep both in step.
internal enum Unary
{
    Neg = 0, Abs = 1, Sqrt = 2, Rsqrt = 3, Exp = 4, Log = 5, Sin = 6, Cos = 7, Tanh = 8, Sigmoid = 9, Silu = 10,
    Reciprocal = 11, Square = 12, Relu = 13, Sign = 14, Floor = 15, Ceil = 16, Trunc = 17, Log1p = 18, Expm1 = 19,
    LogicalNot = 20, BitwiseNot = 21, IsNaN = 22, IsInf = 23, IsFinite = 24, Erf = 25, Gelu = 26, Round = 27,
    Log2 = 28, Log10 = 29, Tan = 30, T = 31, Sgn = 32,
}

internal enum Binary
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, Remainder = 5, Eq = 6, Ne = 7, Lt = 8, Le = 9, Gt = 10, Ge = 11,
    Maximum = 12, Minimum = 13, LogicalAnd = 14, LogicalOr = 15, LogicalXor = 16, BitwiseAnd = 17, BitwiseOr = 18,
    BitwiseXor = 19, Atan2 = 20, Fmod = 21, DivFloor = 22, DivTrunc = 23,
    // Scalar-first forms, only for the tensor-scalar entry point.
    RSub = 30, RDiv = 31, RPow = 32, RRemainder = 33,
}

internal enum Reduction
{
    Sum = 0, Mean = 1, Max = 2, Min = 3, Prod = 4, All = 5, Any = 6, ArgMax = 7, ArgMin = 8, LogSumExp = 9,
}
