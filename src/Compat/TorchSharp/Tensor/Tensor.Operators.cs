namespace TorchSharp;

public static partial class torch
{
    public partial class Tensor
    {
        // Primitive overloads spare callers the Tensor/Scalar ambiguity upstream hit before 0.100 (#1083).

        /// <summary>Element-wise sum.</summary>
        public static Tensor operator +(Tensor left, Tensor right) => left.add(right);
        /// <summary>Tensor plus scalar.</summary>
        public static Tensor operator +(Tensor left, Scalar right) => left.add(right);
        /// <summary>Scalar plus tensor.</summary>
        public static Tensor operator +(Scalar left, Tensor right) => right.add(left);
        /// <summary>Tensor plus int.</summary>
        public static Tensor operator +(Tensor left, int right) => left.add(right);
        /// <summary>Tensor plus long.</summary>
        public static Tensor operator +(Tensor left, long right) => left.add(right);
        /// <summary>Tensor plus float.</summary>
        public static Tensor operator +(Tensor left, float right) => left.add(right);
        /// <summary>Tensor plus double.</summary>
        public static Tensor operator +(Tensor left, double right) => left.add(right);
        /// <summary>int plus tensor.</summary>
        public static Tensor operator +(int left, Tensor right) => right.add(left);
        /// <summary>long plus tensor.</summary>
        public static Tensor operator +(long left, Tensor right) => right.add(left);
        /// <summary>float plus tensor.</summary>
        public static Tensor operator +(float left, Tensor right) => right.add(left);
        /// <summary>double plus tensor.</summary>
        public static Tensor operator +(double left, Tensor right) => right.add(left);

        /// <summary>Element-wise difference.</summary>
        public static Tensor operator -(Tensor left, Tensor right) => left.sub(right);
        /// <summary>Tensor minus scalar.</summary>
        public static Tensor operator -(Tensor left, Scalar right) => left.sub(right);
        /// <summary>Scalar minus tensor.</summary>
        public static Tensor operator -(Scalar left, Tensor right) => right.Binary(PInvoke.Binary.RSub, left);
        /// <summary>Tensor minus int.</summary>
        public static Tensor operator -(Tensor left, int right) => left.sub(right);
        /// <summary>Tensor minus long.</summary>
        public static Tensor operator -(Tensor left, long right) => left.sub(right);
        /// <summary>Tensor minus float.</summary>
        public static Tensor operator -(Tensor left, float right) => left.sub(right);
        /// <summary>Tensor minus double.</summary>
        public static Tensor operator -(Tensor left, double right) => left.sub(right);
        /// <summary>int minus tensor.</summary>
        public static Tensor operator -(int left, Tensor right) => right.Binary(PInvoke.Binary.RSub, left);
        /// <summary>long minus tensor.</summary>
        public static Tensor operator -(long left, Tensor right) => right.Binary(PInvoke.Binary.RSub, left);
        /// <summary>float minus tensor.</summary>
        public static Tensor operator -(float left, Tensor right) => right.Binary(PInvoke.Binary.RSub, left);
        /// <summary>double minus tensor.</summary>
        public static Tensor operator -(double left, Tensor right) => right.Binary(PInvoke.Binary.RSub, left);

        /// <summary>Element-wise product.</summary>
        public static Tensor operator *(Tensor left, Tensor right) => left.mul(right);
        /// <summary>Tensor times scalar.</summary>
        public static Tensor operator *(Tensor left, Scalar right) => left.mul(right);
        /// <summary>Scalar times tensor.</summary>
        public static Tensor operator *(Scalar left, Tensor right) => right.mul(left);
        /// <summary>Tensor times int.</summary>
        public static Tensor operator *(Tensor left, int right) => left.mul(right);
        /// <summary>Tensor times long.</summary>
        public static Tensor operator *(Tensor left, long right) => left.mul(right);
        /// <summary>Tensor times float.</summary>
        public static Tensor operator *(Tensor left, float right) => left.mul(right);
        /// <summary>Tensor times double.</summary>
        public static Tensor operator *(Tensor left, double right) => left.mul(right);
        /// <summary>int times tensor.</summary>
        public static Tensor operator *(int left, Tensor right) => right.mul(left);
        /// <summary>long times tensor.</summary>
        public static Tensor operator *(long left, Tensor right) => right.mul(left);
        /// <summary>float times tensor.</summary>
        public static Tensor operator *(float left, Tensor right) => right.mul(left);
        /// <summary>double times tensor.</summary>
        public static Tensor operator *(double left, Tensor right) => right.mul(left);

        /// <summary>Element-wise quotient.</summary>
        public static Tensor operator /(Tensor left, Tensor right) => left.div(right);
        /// <summary>Tensor divided by scalar.</summary>
        public static Tensor operator /(Tensor left, Scalar right) => left.div(right);
        /// <summary>Scalar divided by tensor.</summary>
        public static Tensor operator /(Scalar left, Tensor right) => right.Binary(PInvoke.Binary.RDiv, left);
        /// <summary>Tensor divided by int.</summary>
        public static Tensor operator /(Tensor left, int right) => left.div(right);
        /// <summary>Tensor divided by long.</summary>
        public static Tensor operator /(Tensor left, long right) => left.div(right);
        /// <summary>Tensor divided by float.</summary>
        public static Tensor operator /(Tensor left, float right) => left.div(right);
        /// <summary>Tensor divided by double.</summary>
        public static Tensor operator /(Tensor left, double right) => left.div(right);
        /// <summary>int divided by tensor.</summary>
        public static Tensor operator /(int left, Tensor right) => right.Binary(PInvoke.Binary.RDiv, left);
        /// <summary>long divided by tensor.</summary>
        public static Tensor operator /(long left, Tensor right) => right.Binary(PInvoke.Binary.RDiv, left);
        /// <summary>float divided by tensor.</summary>
        public static Tensor operator /(float left, Tensor right) => right.Binary(PInvoke.Binary.RDiv, left);
        /// <summary>double divided by tensor.</summary>
        public static Tensor operator /(double left, Tensor right) => right.Binary(PInvoke.Binary.RDiv, left);

        /// <summary>Element-wise remainder.</summary>
        public static Tensor operator %(Tensor left, Tensor right) => left.remainder(right);
        /// <summary>Remainder by a scalar.</summary>
        public static Tensor operator %(Tensor left, Scalar right) => left.remainder(right);

        /// <summary>Element-wise negation.</summary>
        public static Tensor operator -(Tensor tensor) => tensor.neg();

        /// <summary>Element-wise logical/bitwise and.</summary>
        public static Tensor operator &(Tensor left, Tensor right) => left.Binary(PInvoke.Binary.BitwiseAnd, right);
        /// <summary>Element-wise logical/bitwise or.</summary>
        public static Tensor operator |(Tensor left, Tensor right) => left.Binary(PInvoke.Binary.BitwiseOr, right);
        /// <summary>Element-wise logical/bitwise xor.</summary>
        public static Tensor operator ^(Tensor left, Tensor right) => left.Binary(PInvoke.Binary.BitwiseXor, right);
        /// <summary>Element-wise logical/bitwise not.</summary>
        public static Tensor operator ~(Tensor tensor) => new(Check(PInvoke.NativeMethods.ts_unary((int)PInvoke.Unary.BitwiseNot, tensor.Handle)));

        /// <summary>Element-wise less-than.</summary>
        public static Tensor operator <(Tensor left, Tensor right) => left.lt(right);
        /// <summary>Element-wise less-than a scalar.</summary>
        public static Tensor operator <(Tensor left, Scalar right) => left.lt(right);
        /// <summary>Element-wise scalar less-than tensor.</summary>
        public static Tensor operator <(Scalar left, Tensor right) => right.gt(left);
        /// <summary>Element-wise less-or-equal.</summary>
        public static Tensor operator <=(Tensor left, Tensor right) => left.le(right);
        /// <summary>Element-wise less-or-equal to a scalar.</summary>
        public static Tensor operator <=(Tensor left, Scalar right) => left.le(right);
        /// <summary>Element-wise scalar less-or-equal tensor.</summary>
        public static Tensor operator <=(Scalar left, Tensor right) => right.ge(left);
        /// <summary>Element-wise greater-than.</summary>
        public static Tensor operator >(Tensor left, Tensor right) => left.gt(right);
        /// <summary>Element-wise greater-than a scalar.</summary>
        public static Tensor operator >(Tensor left, Scalar right) => left.gt(right);
        /// <summary>Element-wise scalar greater-than tensor.</summary>
        public static Tensor operator >(Scalar left, Tensor right) => right.lt(left);
        /// <summary>Element-wise greater-or-equal.</summary>
        public static Tensor operator >=(Tensor left, Tensor right) => left.ge(right);
        /// <summary>Element-wise greater-or-equal to a scalar.</summary>
        public static Tensor operator >=(Tensor left, Scalar right) => left.ge(right);
        /// <summary>Element-wise scalar greater-or-equal tensor.</summary>
        public static Tensor operator >=(Scalar left, Tensor right) => right.le(left);
    }
}
