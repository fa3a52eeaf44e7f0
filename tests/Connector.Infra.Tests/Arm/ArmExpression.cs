using System.Globalization;
using System.Text;

namespace Connector.Infra.Tests.Arm;

/// <summary>A parsed ARM template language expression (the text between '[' and ']').</summary>
public abstract record ArmExpression(string Text)
{
    /// <summary>True if a JSON string is an ARM expression: "[...]" but not the "[[" escape of a literal.</summary>
    public static bool IsExpression(string value) =>
        value.Length >= 2 && value[0] == '[' && value[^1] == ']' && !value.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>The literal a JSON string stands for when it is not an expression ("[[x]" means "[x]").</summary>
    public static string Unescape(string value) =>
        value.StartsWith("[[", StringComparison.Ordinal) ? value[1..] : value;

    public static ArmExpression Parse(string jsonString)
    {
        if (!IsExpression(jsonString))
        {
            throw new FormatException($"Not an ARM expression: {jsonString}");
        }

        var parser = new Parser(jsonString[1..^1]);
        var expression = parser.ParseExpression();
        parser.ExpectEnd();
        return expression;
    }

    private sealed class Parser(string source)
    {
        private int _position;

        public ArmExpression ParseExpression()
        {
            SkipSpace();
            var start = _position;
            ArmExpression expression = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (Peek('.'))
                {
                    _position++;
                    var name = ReadIdentifier();
                    expression = new PropertyAccess(source[start.._position], expression, name);
                }
                else if (Peek('['))
                {
                    _position++;
                    var index = ParseExpression();
                    SkipSpace();
                    Expect(']');
                    expression = new IndexAccess(source[start.._position], expression, index);
                }
                else
                {
                    return expression;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_position != source.Length)
            {
                throw new FormatException($"Unexpected '{source[_position..]}' in ARM expression [{source}]");
            }
        }

        private ArmExpression ParsePrimary()
        {
            SkipSpace();
            var start = _position;
            if (Peek('\''))
            {
                return new StringLiteral(source[start..ReadStringEnd()], ReadString(start));
            }

            if (_position < source.Length && (char.IsDigit(source[_position]) || source[_position] == '-'))
            {
                _position++;
                while (_position < source.Length && char.IsDigit(source[_position]))
                {
                    _position++;
                }

                var text = source[start.._position];
                return new NumberLiteral(text, long.Parse(text, CultureInfo.InvariantCulture));
            }

            var name = ReadIdentifier();
            SkipSpace();
            Expect('(');
            var arguments = new List<ArmExpression>();
            SkipSpace();
            if (!Peek(')'))
            {
                while (true)
                {
                    arguments.Add(ParseExpression());
                    SkipSpace();
                    if (Peek(','))
                    {
                        _position++;
                        continue;
                    }

                    break;
                }
            }

            Expect(')');
            return new FunctionCall(source[start.._position], name, arguments);
        }

        private int ReadStringEnd()
        {
            var end = _position + 1;
            while (end < source.Length)
            {
                if (source[end] == '\'')
                {
                    if (end + 1 < source.Length && source[end + 1] == '\'')
                    {
                        end += 2;
                        continue;
                    }

                    return end + 1;
                }

                end++;
            }

            throw new FormatException($"Unterminated string in ARM expression [{source}]");
        }

        private string ReadString(int start)
        {
            var end = ReadStringEnd();
            var builder = new StringBuilder();
            for (var i = start + 1; i < end - 1; i++)
            {
                builder.Append(source[i]);
                if (source[i] == '\'')
                {
                    i++;
                }
            }

            _position = end;
            return builder.ToString();
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = _position;
            while (_position < source.Length && (char.IsLetterOrDigit(source[_position]) || source[_position] == '_'))
            {
                _position++;
            }

            if (start == _position)
            {
                throw new FormatException($"Identifier expected at {start} in ARM expression [{source}]");
            }

            return source[start.._position];
        }

        private bool Peek(char c) => _position < source.Length && source[_position] == c;

        private void Expect(char c)
        {
            if (!Peek(c))
            {
                throw new FormatException($"'{c}' expected at {_position} in ARM expression [{source}]");
            }

            _position++;
        }

        private void SkipSpace()
        {
            while (_position < source.Length && char.IsWhiteSpace(source[_position]))
            {
                _position++;
            }
        }
    }
}

public sealed record StringLiteral(string Text, string Value) : ArmExpression(Text);

public sealed record NumberLiteral(string Text, long Value) : ArmExpression(Text);

public sealed record FunctionCall(string Text, string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression(Text);

public sealed record PropertyAccess(string Text, ArmExpression Target, string Property) : ArmExpression(Text);

public sealed record IndexAccess(string Text, ArmExpression Target, ArmExpression Index) : ArmExpression(Text);
