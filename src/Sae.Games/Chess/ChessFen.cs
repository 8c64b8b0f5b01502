using System.Globalization;
using System.Text;

namespace Sae.Games.Chess;

/// <summary>
/// Forsyth–Edwards Notation: <c>placement side castling en-passant halfmove fullmove</c>, e.g.
/// the start <c>rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1</c>. Reading accepts the
/// first four fields alone (the clocks then default to 0 and 1) and rejects positions that cannot
/// arise: a missing or extra king, pawns on the first or last rank, castling rights whose king or
/// rook is not at home, the side not to move in check. Writing gives the en passant square only
/// when an en passant capture is legal (as lichess and python-chess do by default).
/// </summary>
public static class ChessFen
{
    /// <summary>The start position.</summary>
    public const string InitialFen = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1";

    private const string Letters = "PNBRQKpnbrqk";

    /// <summary>Reads a position.</summary>
    /// <exception cref="FenFormatException">A field is missing or wrong; the message names it.</exception>
    public static ChessPosition Parse(string fen)
    {
        ArgumentNullException.ThrowIfNull(fen);
        var fields = fen.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (4 or 6))
            throw new FenFormatException(fen, "fields", $"expected 6 fields (or the first 4) separated by spaces, found {fields.Length}");
        var board = ParsePlacement(fen, fields[0]);
        var toMove = fields[1] switch
        {
            "w" => ChessColor.White,
            "b" => ChessColor.Black,
            _ => throw new FenFormatException(fen, "side to move", $"expected 'w' or 'b', found '{fields[1]}'"),
        };
        var castling = ParseCastling(fen, fields[2], board);
        var enPassant = ParseEnPassant(fen, fields[3], board, toMove);
        var halfmove = fields.Length == 6 ? ParseNumber(fen, "halfmove clock", fields[4], 0, ushort.MaxValue) : 0;
        var fullmove = fields.Length == 6 ? ParseNumber(fen, "fullmove number", fields[5], 1, 100_000) : 1;
        var position = ChessPosition.Create(board, toMove, castling, enPassant, halfmove, fullmove);
        if (position.IsAttacked(position.KingSquare(toMove.Opponent()), toMove))
            throw new FenFormatException(fen, "side to move", $"the side not to move ({toMove.Opponent()}) is in check");
        return position;
    }

    /// <summary>Writes <paramref name="position"/> as six fields.</summary>
    public static string Write(in ChessPosition position)
    {
        var text = new StringBuilder(90);
        for (var row = 7; row >= 0; row--)
        {
            var empty = 0;
            for (var file = 0; file < 8; file++)
            {
                if (position[Square.At(file, row)] is not { } piece)
                {
                    empty++;
                    continue;
                }
                if (empty > 0) text.Append((char)('0' + empty));
                empty = 0;
                text.Append(piece.FenLetter);
            }
            if (empty > 0) text.Append((char)('0' + empty));
            if (row > 0) text.Append('/');
        }
        text.Append(position.ToMove == ChessColor.White ? " w " : " b ");
        var c = position.Castling;
        if (c == CastlingRights.None) text.Append('-');
        if (c.HasFlag(CastlingRights.WhiteKingside)) text.Append('K');
        if (c.HasFlag(CastlingRights.WhiteQueenside)) text.Append('Q');
        if (c.HasFlag(CastlingRights.BlackKingside)) text.Append('k');
        if (c.HasFlag(CastlingRights.BlackQueenside)) text.Append('q');
        text.Append(' ').Append(position.EnPassantSquare?.Name ?? "-");
        text.Append(CultureInfo.InvariantCulture, $" {position.HalfmoveClock} {position.FullmoveNumber}");
        return text.ToString();
    }

    private static ChessPiece?[] ParsePlacement(string fen, string placement)
    {
        var board = new ChessPiece?[64];
        var ranks = placement.Split('/');
        if (ranks.Length != 8)
            throw new FenFormatException(fen, "placement", $"expected 8 ranks separated by '/', found {ranks.Length}");
        for (var i = 0; i < 8; i++)
        {
            var row = 7 - i;
            var file = 0;
            foreach (var ch in ranks[i])
            {
                if (ch is >= '1' and <= '8')
                {
                    file += ch - '0';
                }
                else
                {
                    var letter = Letters.IndexOf(ch);
                    if (letter < 0)
                        throw new FenFormatException(fen, "placement", $"rank {row + 1}: '{ch}' is neither a piece letter (PNBRQKpnbrqk) nor a digit 1-8");
                    if (file < 8)
                        board[8 * row + file] = new ChessPiece(letter < 6 ? ChessColor.White : ChessColor.Black, (PieceType)(letter % 6 + 1));
                    file++;
                }
                if (file > 8) break;
            }
            if (file != 8)
                throw new FenFormatException(fen, "placement", $"rank {row + 1} ('{ranks[i]}') describes {(file > 8 ? "more than" : file.ToString(CultureInfo.InvariantCulture))} squares, not 8");
        }
        foreach (var color in new[] { ChessColor.White, ChessColor.Black })
        {
            var kings = board.Count(p => p == new ChessPiece(color, PieceType.King));
            if (kings != 1) throw new FenFormatException(fen, "placement", $"{color} has {kings} kings, not 1");
        }
        for (var s = 0; s < 64; s++)
            if (board[s]?.Type == PieceType.Pawn && (s < 8 || s >= 56))
                throw new FenFormatException(fen, "placement", $"a pawn stands on {new Square(s)}, on the first or last rank");
        return board;
    }

    private static CastlingRights ParseCastling(string fen, string field, ChessPiece?[] board)
    {
        if (field == "-") return CastlingRights.None;
        var rights = CastlingRights.None;
        foreach (var ch in field)
        {
            var (right, king, rook, color) = ch switch
            {
                'K' => (CastlingRights.WhiteKingside, 4, 7, ChessColor.White),
                'Q' => (CastlingRights.WhiteQueenside, 4, 0, ChessColor.White),
                'k' => (CastlingRights.BlackKingside, 60, 63, ChessColor.Black),
                'q' => (CastlingRights.BlackQueenside, 60, 56, ChessColor.Black),
                _ => throw new FenFormatException(fen, "castling", $"expected '-' or letters of KQkq, found '{ch}'"),
            };
            if ((rights & right) != 0) throw new FenFormatException(fen, "castling", $"'{ch}' appears twice");
            if (board[king] != new ChessPiece(color, PieceType.King) || board[rook] != new ChessPiece(color, PieceType.Rook))
                throw new FenFormatException(fen, "castling", $"right '{ch}' needs the {color} king on {new Square(king)} and rook on {new Square(rook)}");
            rights |= right;
        }
        return rights;
    }

    private static int ParseEnPassant(string fen, string field, ChessPiece?[] board, ChessColor toMove)
    {
        if (field == "-") return -1;
        if (!Square.TryParse(field, out var square) || field[0] is < 'a' or > 'h')
            throw new FenFormatException(fen, "en passant", $"expected '-' or a square such as e3, found '{field}'");
        var (row, pawnSquare, fromSquare) = toMove == ChessColor.White
            ? (5, square.Index - 8, square.Index + 8)
            : (2, square.Index + 8, square.Index - 8);
        if (square.Row != row)
            throw new FenFormatException(fen, "en passant", $"{field} is not on rank {row + 1}, where a pawn that just moved two squares passed with {toMove} to move");
        if (board[pawnSquare] != new ChessPiece(toMove.Opponent(), PieceType.Pawn) || board[square.Index] is not null || board[fromSquare] is not null)
            throw new FenFormatException(fen, "en passant", $"no {toMove.Opponent()} pawn can just have passed {field}");
        return square.Index;
    }

    private static int ParseNumber(string fen, string field, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FenFormatException(fen, field, $"expected a whole number from {min} to {max}, found '{text}'");
}
