using TorchSharp.PInvoke;
using static TorchSharp.torch;

namespace TorchSharp;

public static partial class torch
{
    /// <summary>Rounding of <see cref="Tensor.div(Tensor, RoundingMode)"/>.</summary>
    public enum RoundingMode
    {
        /// <summary>True division.</summary>
        None,
        /// <summary>Round toward zero.</summary>
        trunc,
        /// <summary>Round toward negative infinity.</summary>
        floor,
    }

    public partial class Tensor
    {
        private static readonly Scalar s_one = 1;

        private Tensor Unary(PInvoke.Unary op) => new(Check(NativeMethods.ts_unary((int)op, Handle)));

        private Tensor UnaryInPlace(PInvoke.Unary op)
        {
            CheckForErrors(NativeMethods.ts_unary_((int)op, Handle));
            return this;
        }

        internal Tensor Binary(PInvoke.Binary op, Tensor other, Scalar? alpha = null)
        {
            var a = alpha ?? s_one;
            return new(Check(NativeMethods.ts_binary((int)op, Handle, other.Handle, (int)a.Kind, a.DoubleValue, a.LongValue)));
        }

        internal Tensor Binary(PInvoke.Binary op, Scalar other, Scalar? alpha = null)
        {
            var a = alpha ?? s_one;
            return new(Check(NativeMethods.ts_binary_scalar((int)op, Handle, (int)other.Kind, other.DoubleValue, other.LongValue,
                (int)a.Kind, a.DoubleValue, a.LongValue)));
        }

        private Tensor BinaryInPlace(PInvoke.Binary op, Tensor other, Scalar? alpha = null)
        {
            var a = alpha ?? s_one;
            CheckForErrors(NativeMethods.ts_binary_((int)op, Handle, other.Handle, (int)a.Kind, a.DoubleValue, a.LongValue));
            return this;
        }

        private Tensor BinaryInPlace(PInvoke.Binary op, Scalar other, Scalar? alpha = null)
        {
            var a = alpha ?? s_one;
            CheckForErrors(NativeMethods.ts_binary_scalar_((int)op, Handle, (int)other.Kind, other.DoubleValue, other.LongValue,
                (int)a.Kind, a.DoubleValue, a.LongValue));
            return this;
        }

        private static PInvoke.Binary DivOp(RoundingMode mode) => mode switch
        {
            RoundingMode.trunc => PInvoke.Binary.DivTrunc,
            RoundingMode.floor => PInvoke.Binary.DivFloor,
            _ => PInvoke.Binary.Div,
        };

        // ---- arithmetic ----------------------------------------------------------------------------
        // https://pytorch.org/docs/stable/generated/torch.add

        /// <summary>Element-wise this + target.</summary>
        public Tensor add(Tensor target) => Binary(PInvoke.Binary.Add, target);
        /// <summary>Element-wise this + alpha·target.</summary>
        public Tensor add(Tensor target, Scalar alpha) => Binary(PInvoke.Binary.Add, target, alpha);
        /// <summary>Element-wise this + scalar.</summary>
        public Tensor add(Scalar scalar) => Binary(PInvoke.Binary.Add, scalar);
        /// <summary>Element-wise this + alpha·scalar.</summary>
        public Tensor add(Scalar scalar, Scalar alpha) => Binary(PInvoke.Binary.Add, scalar, alpha);
        /// <summary>In place: this += target.</summary>
        public Tensor add_(Tensor target) => BinaryInPlace(PInvoke.Binary.Add, target);
        /// <summary>In place: this += alpha·target.</summary>
        public Tensor add_(Tensor target, Scalar alpha) => BinaryInPlace(PInvoke.Binary.Add, target, alpha);
        /// <summary>In place: this += scalar.</summary>
        public Tensor add_(Scalar scalar) => BinaryInPlace(PInvoke.Binary.Add, scalar);
        /// <summary>In place: this += alpha·scalar.</summary>
        public Tensor add_(Scalar scalar, Scalar alpha) => BinaryInPlace(PInvoke.Binary.Add, scalar, alpha);

        /// <summary>Element-wise this − target.</summary>
        public Tensor sub(Tensor target) => Binary(PInvoke.Binary.Sub, target);
        /// <summary>Element-wise this − alpha·target.</summary>
        internal Tensor sub(Tensor target, Scalar alpha) => Binary(PInvoke.Binary.Sub, target, alpha);
        /// <summary>Element-wise this − scalar.</summary>
        public Tensor sub(Scalar target) => Binary(PInvoke.Binary.Sub, target);
        /// <summary>In place: this −= target.</summary>
        public Tensor sub_(Tensor target) => BinaryInPlace(PInvoke.Binary.Sub, target);
        /// <summary>In place: this −= alpha·target.</summary>
        internal Tensor sub_(Tensor target, Scalar alpha) => BinaryInPlace(PInvoke.Binary.Sub, target, alpha);
        /// <summary>In place: this −= scalar.</summary>
        public Tensor sub_(Scalar target) => BinaryInPlace(PInvoke.Binary.Sub, target);

        /// <summary>Element-wise product.</summary>
        public Tensor mul(Tensor target) => Binary(PInvoke.Binary.Mul, target);
        /// <summary>Element-wise product with a scalar.</summary>
        public Tensor mul(Scalar target) => Binary(PInvoke.Binary.Mul, target);
        /// <summary>In place element-wise product.</summary>
        public Tensor mul_(Tensor target) => BinaryInPlace(PInvoke.Binary.Mul, target);
        /// <summary>In place product with a scalar.</summary>
        public Tensor mul_(Scalar target) => BinaryInPlace(PInvoke.Binary.Mul, target);

        /// <summary>Element-wise quotient.</summary>
        public Tensor div(Tensor target, RoundingMode rounding_mode = RoundingMode.None) => Binary(DivOp(rounding_mode), target);
        /// <summary>Element-wise quotient by a scalar.</summary>
        public Tensor div(Scalar target, RoundingMode rounding_mode = RoundingMode.None) => Binary(DivOp(rounding_mode), target);
        /// <summary>In place element-wise quotient.</summary>
        public Tensor div_(Tensor target, RoundingMode rounding_mode = RoundingMode.None) => BinaryInPlace(DivOp(rounding_mode), target);
        /// <summary>In place quotient by a scalar.</summary>
        public Tensor div_(Scalar target, RoundingMode rounding_mode = RoundingMode.None) => BinaryInPlace(DivOp(rounding_mode), target);

        /// <summary>Element-wise power.</summary>
        public Tensor pow(Tensor exponent) => Binary(PInvoke.Binary.Pow, exponent);
        /// <summary>Element-wise power with a scalar exponent.</summary>
        public Tensor pow(Scalar exponent) => Binary(PInvoke.Binary.Pow, exponent);
        /// <summary>In place element-wise power.</summary>
        public Tensor pow_(Tensor exponent) => BinaryInPlace(PInvoke.Binary.Pow, exponent);
        /// <summary>In place power with a scalar exponent.</summary>
        public Tensor pow_(Scalar exponent) => BinaryInPlace(PInvoke.Binary.Pow, exponent);

        /// <summary>Element-wise remainder (sign of the divisor).</summary>
        public Tensor remainder(Tensor target) => Binary(PInvoke.Binary.Remainder, target);
        /// <summary>Element-wise remainder by a scalar (sign of the divisor).</summary>
        public Tensor remainder(Scalar scalar) => Binary(PInvoke.Binary.Remainder, scalar);
        /// <summary>Element-wise C-style remainder (sign of the dividend).</summary>
        public Tensor fmod(Tensor target) => Binary(PInvoke.Binary.Fmod, target);
        /// <summary>Element-wise C-style remainder by a scalar.</summary>
        public Tensor fmod(Scalar scalar) => Binary(PInvoke.Binary.Fmod, scalar);
        /// <summary>Element-wise atan2(this, other).</summary>
        public Tensor atan2(Tensor other) => Binary(PInvoke.Binary.Atan2, other);

        /// <summary>Element-wise maximum.</summary>
        public Tensor maximum(Tensor other) => Binary(PInvoke.Binary.Maximum, other);
        /// <summary>Element-wise minimum.</summary>
        public Tensor minimum(Tensor other) => Binary(PInvoke.Binary.Minimum, other);

        /// <summary>this + value·tensor1·tensor2.</summary>
        public Tensor addcmul(Tensor tensor1, Tensor tensor2, Scalar value)
            => new(Check(NativeMethods.ts_addcmul(Handle, tensor1.Handle, tensor2.Handle, (int)value.Kind, value.DoubleValue, value.LongValue, 0)));
        /// <summary>In place: this += value·tensor1·tensor2.</summary>
        public Tensor addcmul_(Tensor tensor1, Tensor tensor2, Scalar value)
        {
            using var _ = new Tensor(Check(NativeMethods.ts_addcmul(Handle, tensor1.Handle, tensor2.Handle, (int)value.Kind, value.DoubleValue, value.LongValue, 1)));
            return this;
        }
        /// <summary>this + value·tensor1/tensor2.</summary>
        public Tensor addcdiv(Tensor tensor1, Tensor tensor2, Scalar value)
            => new(Check(NativeMethods.ts_addcdiv(Handle, tensor1.Handle, tensor2.Handle, (int)value.Kind, value.DoubleValue, value.LongValue, 0)));
        /// <summary>In place: this += value·tensor1/tensor2.</summary>
        public Tensor addcdiv_(Tensor tensor1, Tensor tensor2, Scalar value)
        {
            using var _ = new Tensor(Check(NativeMethods.ts_addcdiv(Handle, tensor1.Handle, tensor2.Handle, (int)value.Kind, value.DoubleValue, value.LongValue, 1)));
            return this;
        }
        /// <summary>Linear interpolation this + weight·(end − this).</summary>
        public Tensor lerp(Tensor end, Tensor weight) => new(Check(NativeMethods.ts_lerp(Handle, end.Handle, weight.Handle, 0)));
        /// <summary>In place linear interpolation toward end.</summary>
        public Tensor lerp_(Tensor end, Tensor weight)
        {
            using var _ = new Tensor(Check(NativeMethods.ts_lerp(Handle, end.Handle, weight.Handle, 1)));
            return this;
        }

        // ---- unary ---------------------------------------------------------------------------------

        /// <summary>Element-wise negation.</summary>
        public Tensor neg() => Unary(PInvoke.Unary.Neg);
        /// <summary>In place negation.</summary>
        public Tensor neg_() => UnaryInPlace(PInvoke.Unary.Neg);
        /// <summary>Element-wise absolute value.</summary>
        public Tensor abs() => Unary(PInvoke.Unary.Abs);
        /// <summary>In place absolute value.</summary>
        public Tensor abs_() => UnaryInPlace(PInvoke.Unary.Abs);
        /// <summary>Element-wise square root.</summary>
        public Tensor sqrt() => Unary(PInvoke.Unary.Sqrt);
        /// <summary>In place square root.</summary>
        public Tensor sqrt_() => UnaryInPlace(PInvoke.Unary.Sqrt);
        /// <summary>Element-wise reciprocal square root.</summary>
        public Tensor rsqrt() => Unary(PInvoke.Unary.Rsqrt);
        /// <summary>Element-wise exponential.</summary>
        public Tensor exp() => Unary(PInvoke.Unary.Exp);
        /// <summary>In place exponential.</summary>
        public Tensor exp_() => UnaryInPlace(PInvoke.Unary.Exp);
        /// <summary>Element-wise natural logarithm.</summary>
        public Tensor log() => Unary(PInvoke.Unary.Log);
        /// <summary>In place natural logarithm.</summary>
        public Tensor log_() => UnaryInPlace(PInvoke.Unary.Log);
        /// <summary>Element-wise log(1 + x).</summary>
        public Tensor log1p() => Unary(PInvoke.Unary.Log1p);
        /// <summary>Element-wise exp(x) − 1.</summary>
        public Tensor expm1() => Unary(PInvoke.Unary.Expm1);
        /// <summary>Element-wise base-2 logarithm.</summary>
        public Tensor log2() => Unary(PInvoke.Unary.Log2);
        /// <summary>Element-wise base-10 logarithm.</summary>
        public Tensor log10() => Unary(PInvoke.Unary.Log10);
        /// <summary>Element-wise sine.</summary>
        public Tensor sin() => Unary(PInvoke.Unary.Sin);
        /// <summary>Element-wise cosine.</summary>
        public Tensor cos() => Unary(PInvoke.Unary.Cos);
        /// <summary>Element-wise tangent.</summary>
        public Tensor tan() => Unary(PInvoke.Unary.Tan);
        /// <summary>Element-wise hyperbolic tangent.</summary>
        public Tensor tanh() => Unary(PInvoke.Unary.Tanh);
        /// <summary>Element-wise logistic sigmoid.</summary>
        public Tensor sigmoid() => Unary(PInvoke.Unary.Sigmoid);
        /// <summary>Element-wise x·sigmoid(x).</summary>
        public Tensor silu() => Unary(PInvoke.Unary.Silu);
        /// <summary>Element-wise max(x, 0).</summary>
        public Tensor relu() => Unary(PInvoke.Unary.Relu);
        /// <summary>Element-wise GELU.</summary>
        public Tensor gelu() => Unary(PInvoke.Unary.Gelu);
        /// <summary>Element-wise error function.</summary>
        public Tensor erf() => Unary(PInvoke.Unary.Erf);
        /// <summary>Element-wise 1/x.</summary>
        public Tensor reciprocal() => Unary(PInvoke.Unary.Reciprocal);
        /// <summary>Element-wise x².</summary>
        public Tensor square() => Unary(PInvoke.Unary.Square);
        /// <summary>Element-wise sign (−1, 0, 1).</summary>
        public Tensor sign() => Unary(PInvoke.Unary.Sign);
        /// <summary>Element-wise floor.</summary>
        public Tensor floor() => Unary(PInvoke.Unary.Floor);
        /// <summary>Element-wise ceiling.</summary>
        public Tensor ceil() => Unary(PInvoke.Unary.Ceil);
        /// <summary>Element-wise truncation toward zero.</summary>
        public Tensor trunc() => Unary(PInvoke.Unary.Trunc);
        /// <summary>Element-wise rounding to the given number of decimals (half to even).</summary>
        public Tensor round(long decimals = 0L)
        {
            if (decimals == 0) return Unary(PInvoke.Unary.Round);
            var factor = Math.Pow(10, decimals);
            using var scaled = mul(factor);
            using var rounded = scaled.Unary(PInvoke.Unary.Round);
            return rounded.div(factor);
        }
        /// <summary>Element-wise logical not.</summary>
        public Tensor logical_not() => Unary(PInvoke.Unary.LogicalNot);
        /// <summary>Element-wise NaN test.</summary>
        public Tensor isnan() => Unary(PInvoke.Unary.IsNaN);
        /// <summary>Element-wise infinity test.</summary>
        public Tensor isinf() => Unary(PInvoke.Unary.IsInf);
        /// <summary>Element-wise finiteness test.</summary>
        public Tensor isfinite() => Unary(PInvoke.Unary.IsFinite);
        /// <summary>The transpose of a 2-D tensor.</summary>
        public Tensor t() => Unary(PInvoke.Unary.T);

        // ---- clamping, selection, filling ------------------------------------------------------------

        /// <summary>Clamps every element into [min, max]; a null bound is not applied.</summary>
        public Tensor clamp(Scalar? min = null, Scalar? max = null) => Clamp(min, max, false);
        /// <summary>In place clamp into [min, max].</summary>
        public Tensor clamp_(Scalar? min = null, Scalar? max = null) => Clamp(min, max, true);
        /// <summary>Clamps every element between tensors of bounds.</summary>
        public Tensor clamp(Tensor? min = null, Tensor? max = null)
            => new(Check(NativeMethods.ts_clamp_tensor(Handle, min?.Handle ?? IntPtr.Zero, max?.Handle ?? IntPtr.Zero, 0)));
        /// <summary>Clamps from below.</summary>
        public Tensor clamp_min(Scalar min) => Clamp(min, null, false);
        /// <summary>Clamps from above.</summary>
        public Tensor clamp_max(Scalar max) => Clamp(null, max, false);
        /// <summary>Alias of <see cref="clamp(Scalar?, Scalar?)"/>.</summary>
        public Tensor clip(Scalar? min = null, Scalar? max = null) => Clamp(min, max, false);

        private Tensor Clamp(Scalar? min, Scalar? max, bool inplace)
        {
            var h = Check(NativeMethods.ts_clamp(Handle,
                min is null ? 0 : 1, (int)(min?.Kind ?? 0), min?.DoubleValue ?? 0, min?.LongValue ?? 0,
                max is null ? 0 : 1, (int)(max?.Kind ?? 0), max?.DoubleValue ?? 0, max?.LongValue ?? 0, inplace ? 1 : 0));
            if (!inplace) return new Tensor(h);
            NativeMethods.ts_tensor_dispose(h);
            return this;
        }

        /// <summary>Elements of this where condition holds, else of other.</summary>
        public Tensor where(Tensor condition, Tensor y) => torch.where(condition, this, y);

        /// <summary>Sets every element to zero; returns this.</summary>
        public Tensor zero_()
        {
            CheckForErrors(NativeMethods.ts_zero_(Handle));
            return this;
        }

        /// <summary>Sets every element to value; returns this.</summary>
        public Tensor fill_(Scalar value)
        {
            CheckForErrors(NativeMethods.ts_fill_(Handle, (int)value.Kind, value.DoubleValue, value.LongValue));
            return this;
        }

        /// <summary>Elements where mask holds replaced by value.</summary>
        public Tensor masked_fill(Tensor mask, Scalar value)
            => new(Check(NativeMethods.ts_masked_fill(Handle, mask.Handle, (int)value.Kind, value.DoubleValue, value.LongValue, 0)));

        /// <summary>In place: elements where mask holds become value.</summary>
        public Tensor masked_fill_(Tensor mask, Scalar value)
        {
            NativeMethods.ts_tensor_dispose(Check(NativeMethods.ts_masked_fill(Handle, mask.Handle, (int)value.Kind, value.DoubleValue, value.LongValue, 1)));
            return this;
        }

        /// <summary>Fills with samples from U(from, to); returns this.</summary>
        public Tensor uniform_(double from, double to, Generator? generator = null)
        {
            CheckForErrors(NativeMethods.ts_uniform_(Handle, from, to, GeneratorHandle(generator)));
            return this;
        }

        /// <summary>Fills with samples from N(mean, std²); returns this.</summary>
        public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
        {
            CheckForErrors(NativeMethods.ts_normal_(Handle, mean, std, GeneratorHandle(generator)));
            return this;
        }

        /// <summary>Fills with Bernoulli(p) samples; returns this.</summary>
        public Tensor bernoulli_(double p = 0.5, Generator? generator = null)
        {
            CheckForErrors(NativeMethods.ts_bernoulli_(Handle, p, GeneratorHandle(generator)));
            return this;
        }

        /// <summary>A tensor of N(0, 1) samples with this tensor's shape.</summary>
        public Tensor randn_like(ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
            => torch.randn_like(this, dtype, device, requires_grad);

        /// <summary>A tensor of zeros with this tensor's shape.</summary>
        public Tensor zeros_like(ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
            => torch.zeros_like(this, dtype, device, requires_grad);

        /// <summary>A tensor of ones with this tensor's shape.</summary>
        public Tensor ones_like(ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
            => torch.ones_like(this, dtype, device, requires_grad);

        // ---- comparison and logic ----------------------------------------------------------------------

        /// <summary>Element-wise equality.</summary>
        public Tensor eq(Tensor target) => Binary(PInvoke.Binary.Eq, target);
        /// <summary>Element-wise equality with a scalar.</summary>
        public Tensor eq(Scalar target) => Binary(PInvoke.Binary.Eq, target);
        /// <summary>Element-wise inequality.</summary>
        public Tensor ne(Tensor target) => Binary(PInvoke.Binary.Ne, target);
        /// <summary>Element-wise inequality with a scalar.</summary>
        public Tensor ne(Scalar target) => Binary(PInvoke.Binary.Ne, target);
        /// <summary>Element-wise less-than.</summary>
        public Tensor lt(Tensor target) => Binary(PInvoke.Binary.Lt, target);
        /// <summary>Element-wise less-than a scalar.</summary>
        public Tensor lt(Scalar target) => Binary(PInvoke.Binary.Lt, target);
        /// <summary>Element-wise less-or-equal.</summary>
        public Tensor le(Tensor target) => Binary(PInvoke.Binary.Le, target);
        /// <summary>Element-wise less-or-equal to a scalar.</summary>
        public Tensor le(Scalar target) => Binary(PInvoke.Binary.Le, target);
        /// <summary>Element-wise greater-than.</summary>
        public Tensor gt(Tensor target) => Binary(PInvoke.Binary.Gt, target);
        /// <summary>Element-wise greater-than a scalar.</summary>
        public Tensor gt(Scalar target) => Binary(PInvoke.Binary.Gt, target);
        /// <summary>Element-wise greater-or-equal.</summary>
        public Tensor ge(Tensor target) => Binary(PInvoke.Binary.Ge, target);
        /// <summary>Element-wise greater-or-equal to a scalar.</summary>
        public Tensor ge(Scalar target) => Binary(PInvoke.Binary.Ge, target);
        /// <summary>Element-wise logical and.</summary>
        public Tensor logical_and(Tensor other) => Binary(PInvoke.Binary.LogicalAnd, other);
        /// <summary>Element-wise logical or.</summary>
        public Tensor logical_or(Tensor other) => Binary(PInvoke.Binary.LogicalOr, other);
        /// <summary>Element-wise logical xor.</summary>
        public Tensor logical_xor(Tensor other) => Binary(PInvoke.Binary.LogicalXor, other);

        /// <summary>Whether all elements are close: |a − b| ≤ atol + rtol·|b|.</summary>
        public bool allclose(Tensor target, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false)
        {
            int r = NativeMethods.ts_allclose(Handle, target.Handle, rtol, atol, equal_nan ? 1 : 0);
            if (r < 0) throw NativeError();
            return r == 1;
        }

        /// <summary>Whether both tensors have the same shape and elements.</summary>
        public bool equal(Tensor target)
        {
            int r = NativeMethods.ts_equal(Handle, target.Handle);
            if (r < 0) throw NativeError();
            return r == 1;
        }

        // ---- linear algebra ------------------------------------------------------------------------

        /// <summary>Matrix product with broadcasting.</summary>
        public Tensor matmul(Tensor target) => new(Check(NativeMethods.ts_matmul(Handle, target.Handle)));
        /// <summary>Product of two 2-D matrices.</summary>
        public Tensor mm(Tensor target) => new(Check(NativeMethods.ts_mm(Handle, target.Handle)));
        /// <summary>Batched product of 3-D tensors.</summary>
        public Tensor bmm(Tensor batch2) => new(Check(NativeMethods.ts_bmm(Handle, batch2.Handle)));
        /// <summary>Outer product of two vectors.</summary>
        public Tensor outer(Tensor vec2) => new(Check(NativeMethods.ts_outer(Handle, vec2.Handle)));
        /// <summary>Softmax along a dimension.</summary>
        public Tensor softmax(long dim, ScalarType? dtype = null)
            => new(Check(NativeMethods.ts_softmax(Handle, dim, dtype is null ? -1 : (int)dtype.Value, 0)));
        /// <summary>Log-softmax along a dimension.</summary>
        public Tensor log_softmax(long dim, ScalarType? dtype = null)
            => new(Check(NativeMethods.ts_softmax(Handle, dim, dtype is null ? -1 : (int)dtype.Value, 1)));
    }
}
