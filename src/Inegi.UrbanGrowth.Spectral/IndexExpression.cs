using System.Globalization;

namespace Inegi.UrbanGrowth.Spectral;

/// <summary>
/// A tiny arithmetic expression over the six bands, parsed once into postfix code and evaluated per pixel with
/// SPEC 2's division rule at every <c>/</c>. Grammar: numbers, band names (blue|b, green|g, red|r, nir|n, swir1|s1,
/// swir2|s2), + - * /, unary minus, parentheses.
/// </summary>
internal sealed class IndexExpression
{
    private const int OpConst = 0;
    private const int OpBand = 1;
    private const int OpAdd = 2;
    private const int OpSub = 3;
    private const int OpMul = 4;
    private const int OpDiv = 5;
    private const int OpNeg = 6;

    private readonly int[] _ops;
    private readonly float[] _args;

    private IndexExpression(int[] ops, float[] args, int maxDepth)
    {
        _ops = ops;
        _args = args;
        MaxDepth = maxDepth;
    }

    /// <summary>Deepest stack the program needs.</summary>
    public int MaxDepth { get; }

    public static IndexExpression Parse(string text, string parameterName)
    {
        var parser = new Parser(text, parameterName);
        parser.ParseSum();
        parser.SkipSpaces();
        if (parser.Position != text.Length)
        {
            throw parser.Error("unexpected '" + text[parser.Position] + "'");
        }

        if (parser.MaxDepth > 64)
        {
            throw parser.Error("expression nests too deeply (at most 64 pending values)");
        }

        return new IndexExpression([.. parser.Ops], [.. parser.Args], parser.MaxDepth);
    }

    /// <summary>Evaluates the expression for one pixel; <paramref name="stack"/> must hold <see cref="MaxDepth"/> values.</summary>
    public float Evaluate(in SpectralBands b, Span<float> stack)
    {
        int sp = 0;
        int[] ops = _ops;
        float[] args = _args;
        for (int i = 0; i < ops.Length; i++)
        {
            switch (ops[i])
            {
                case OpConst:
                    stack[sp++] = args[i];
                    break;
                case OpBand:
                    stack[sp++] = (int)args[i] switch
                    {
                        0 => b.Blue,
                        1 => b.Green,
                        2 => b.Red,
                        3 => b.Nir,
                        4 => b.Swir1,
                        _ => b.Swir2,
                    };
                    break;
                case OpNeg:
                    stack[sp - 1] = -stack[sp - 1];
                    break;
                default:
                    float y = stack[--sp];
                    float x = stack[sp - 1];
                    stack[sp - 1] = ops[i] switch
                    {
                        OpAdd => x + y,
                        OpSub => x - y,
                        OpMul => x * y,
                        _ => SpectralBands.SafeDivide(x, y),
                    };
                    break;
            }
        }

        return stack[0];
    }

    private sealed class Parser(string text, string parameterName)
    {
        public List<int> Ops { get; } = [];

        public List<float> Args { get; } = [];

        public int Position { get; private set; }

        public int MaxDepth { get; private set; }

        private int _depth;

        public ArgumentException Error(string problem) =>
            new($"Index expression '{text}': {problem} at position {Position}.", parameterName);

        public void SkipSpaces()
        {
            while (Position < text.Length && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        public void ParseSum()
        {
            ParseProduct();
            while (true)
            {
                SkipSpaces();
                if (Position < text.Length && (text[Position] == '+' || text[Position] == '-'))
                {
                    int op = text[Position] == '+' ? OpAdd : OpSub;
                    Position++;
                    ParseProduct();
                    Emit(op, 0, -1);
                }
                else
                {
                    return;
                }
            }
        }

        private void ParseProduct()
        {
            ParseUnary();
            while (true)
            {
                SkipSpaces();
                if (Position < text.Length && (text[Position] == '*' || text[Position] == '/'))
                {
                    int op = text[Position] == '*' ? OpMul : OpDiv;
                    Position++;
                    ParseUnary();
                    Emit(op, 0, -1);
                }
                else
                {
                    return;
                }
            }
        }

        private void ParseUnary()
        {
            SkipSpaces();
            if (Position < text.Length && (text[Position] == '-' || text[Position] == '+'))
            {
                bool negate = text[Position] == '-';
                Position++;
                ParseUnary();
                if (negate)
                {
                    Emit(OpNeg, 0, 0);
                }

                return;
            }

            ParseAtom();
        }

        private void ParseAtom()
        {
            SkipSpaces();
            if (Position >= text.Length)
            {
                throw Error("expected a number, a band name or '('");
            }

            char c = text[Position];
            if (c == '(')
            {
                Position++;
                ParseSum();
                SkipSpaces();
                if (Position >= text.Length || text[Position] != ')')
                {
                    throw Error("expected ')'");
                }

                Position++;
                return;
            }

            if (char.IsDigit(c) || c == '.')
            {
                int start = Position;
                while (Position < text.Length && (char.IsDigit(text[Position]) || text[Position] == '.'))
                {
                    Position++;
                }

                if (Position < text.Length && (text[Position] == 'e' || text[Position] == 'E'))
                {
                    Position++;
                    if (Position < text.Length && (text[Position] == '+' || text[Position] == '-'))
                    {
                        Position++;
                    }

                    while (Position < text.Length && char.IsDigit(text[Position]))
                    {
                        Position++;
                    }
                }

                string number = text[start..Position];
                if (!float.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    Position = start;
                    throw Error("bad number '" + number + "'");
                }

                Emit(OpConst, value, 1);
                return;
            }

            if (char.IsLetter(c))
            {
                int start = Position;
                while (Position < text.Length && char.IsLetterOrDigit(text[Position]))
                {
                    Position++;
                }

                string name = text[start..Position].ToUpperInvariant();
                int band = name switch
                {
                    "BLUE" or "B" => 0,
                    "GREEN" or "G" => 1,
                    "RED" or "R" => 2,
                    "NIR" or "N" => 3,
                    "SWIR1" or "S1" => 4,
                    "SWIR2" or "S2" => 5,
                    _ => -1,
                };
                if (band < 0)
                {
                    Position = start;
                    throw Error("unknown band '" + text[start..(start + name.Length)] + "' (use blue, green, red, nir, swir1, swir2 or b, g, r, n, s1, s2)");
                }

                Emit(OpBand, band, 1);
                return;
            }

            throw Error("unexpected '" + c + "'");
        }

        private void Emit(int op, float arg, int depthChange)
        {
            Ops.Add(op);
            Args.Add(arg);
            _depth += depthChange;
            MaxDepth = Math.Max(MaxDepth, _depth);
        }
    }
}
