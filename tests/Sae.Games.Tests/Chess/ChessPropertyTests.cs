using Sae.Games.BoardState;
using Sae.Games.Chess;

namespace Sae.Games.Tests.Chess;

public class ChessPropertyTests
{
    private static ChessAnalysis Analyse(string fen, bool threefold = false)
    {
        var analysis = new ChessAnalysis();
        analysis.Reset(new ChessPly(ChessPosition.FromFen(fen), threefold));
        return analysis;
    }

    private static bool Flag(ChessFlagProperty property, string fen) => property.Value(Analyse(fen));

    private static string[] Squares(ChessSquareSetProperty property, string fen)
    {
        var bits = property.Squares(Analyse(fen));
        return [.. Enumerable.Range(0, 64).Where(s => (bits >> s & 1) != 0).Select(s => new Square(s).Name)];
    }

    [Fact]
    public void There_are_23_reference_properties_with_the_reference_shapes()
    {
        ChessProperties.Reference.Should().HaveCount(23);
        ChessProperties.All.Select(p => p.Name).Should().OnlyHaveUniqueItems();
        ChessProperties.Piece.Shape.Should().Be(new BoardStateShape(8, 8, 13));
        ChessProperties.PieceColor.Shape.Should().Be(new BoardStateShape(8, 8, 3));
        ChessProperties.Threat.Shape.Should().Be(new BoardStateShape(8, 8, 1));
        ChessProperties.Check.Shape.Should().Be(new BoardStateShape(1, 1, 1));
        ChessProperties.PieceBlankInitialMasked.MaskedChannel.Should().Be(6);
        ChessProperties.Piece.MaskedChannel.Should().BeNull();
        ChessProperties.Strategy.Should().HaveCount(14);
        ChessProperties.ByName("any_fork").Should().BeSameAs(ChessProperties.AnyFork);
        var unknown = () => ChessProperties.ByName("forks");
        unknown.Should().Throw<KeyNotFoundException>().WithMessage("*'forks'*has_mate_threat*");
    }

    [Fact]
    public void Piece_classes_run_from_black_king_0_through_empty_6_to_white_king_12()
    {
        var start = ChessProperties.Piece.Values(Analyse(ChessFen.InitialFen));
        start[0].Should().Be(10, "a white rook on a1");
        start[4].Should().Be(12, "the white king on e1");
        start[8].Should().Be(7, "a white pawn on a2");
        start[28].Should().Be(6, "e4 is empty");
        start[59].Should().Be(1, "the black queen on d8");
        start[60].Should().Be(0, "the black king on e8");
        ChessPosition.Initial[Square.Parse("e8")]!.Value.ReferenceValue.Should().Be(-6);
        ChessPosition.Initial[Square.Parse("b1")]!.Value.ReferenceValue.Should().Be(2);
        ChessProperties.PieceColor.Values(Analyse(ChessFen.InitialFen))[0..1].Should().Equal(2);
        ChessProperties.PieceColor.Values(Analyse(ChessFen.InitialFen))[28].Should().Be(1);
        ChessProperties.PieceColor.Values(Analyse(ChessFen.InitialFen))[63].Should().Be(0);
    }

    [Fact]
    public void Masks_zero_blank_squares_and_squares_that_hold_their_starting_piece()
    {
        const string afterE4 = "rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1";
        var blank = ChessProperties.PieceBlankMasked.Values(Analyse(afterE4));
        blank.Count(v => v == -1).Should().Be(32);
        blank[0].Should().Be(10);
        var initial = ChessProperties.PieceBlankInitialMasked.Values(Analyse(afterE4));
        initial.Select((v, s) => (v, s)).Where(x => x.v != -1).Should().Equal((7, 28));
        var labels = new byte[64 * 13];
        ChessProperties.PieceBlankInitialMasked.Write(new ChessPly(ChessPosition.FromFen(afterE4)), labels);
        labels.Sum(b => b).Should().Be(1);
    }

    [Fact]
    public void Threat_is_what_the_side_not_to_move_attacks_occupied_squares_included()
    {
        var atStart = Squares(ChessProperties.Threat, ChessFen.InitialFen);
        atStart.Should().HaveCount(22).And.Contain(["a6", "h6", "a7", "h7", "b8", "g8"]).And.NotContain(["a8", "h8", "e5"]);
        Squares(ChessProperties.Threat, "4k3/8/8/8/8/8/8/R3K3 w - - 0 1").Should().BeEquivalentTo("d8", "f8", "d7", "e7", "f7");
        Squares(ChessProperties.Threat, "4k3/8/8/8/8/8/8/R3K3 b - - 0 1").Should().BeEquivalentTo(
            "a2", "a3", "a4", "a5", "a6", "a7", "a8", "b1", "c1", "d1", "e1", "f1", "d2", "e2", "f2");
    }

    [Fact]
    public void Legal_and_pseudo_legal_destinations_are_the_side_to_moves()
    {
        Squares(ChessProperties.LegalMoves, ChessFen.InitialFen).Should().HaveCount(16).And.OnlyContain(s => s[1] == '3' || s[1] == '4');
        Squares(ChessProperties.LegalMoves, "rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1")
            .Should().HaveCount(16).And.OnlyContain(s => s[1] == '6' || s[1] == '5');
        const string rook = "4k3/8/8/8/8/8/3r4/4K3 w - - 0 1";
        Squares(ChessProperties.LegalMoves, rook).Should().BeEquivalentTo("d2", "f1");
        Squares(ChessProperties.PseudoLegalMoves, rook).Should().BeEquivalentTo("d1", "d2", "e2", "f1", "f2");
        Squares(ChessProperties.LegalMoves, "r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1").Should().Contain(["g1", "c1"]);
        Squares(ChessProperties.PseudoLegalMoves, "7k/8/8/3pP3/8/8/8/K7 w - d6 0 2").Should().BeEquivalentTo("a2", "b1", "b2", "d6", "e6");
    }

    [Theory]
    [InlineData(ChessFen.InitialFen, false)]
    [InlineData("4k3/8/8/8/8/8/8/4K2r w - - 0 1", true)]
    [InlineData("rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3", true)]
    public void Check(string fen, bool expected) => Flag(ChessProperties.Check, fen).Should().Be(expected);

    [Theory]
    [InlineData(ChessFen.InitialFen, false)]
    [InlineData("4r1k1/8/8/8/8/8/4B3/4K3 w - - 0 1", true)] // the white bishop on e2, to move
    [InlineData("4k3/4n3/8/8/8/8/8/4RK2 w - - 0 1", true)] // a black knight pinned with White to move
    [InlineData("4k3/4n3/4p3/8/8/8/8/4RK2 w - - 0 1", false)] // two pieces between: no pin
    public void Pin_is_any_absolutely_pinned_piece_of_either_colour(string fen, bool expected) =>
        Flag(ChessProperties.Pin, fen).Should().Be(expected);

    // specific_fork and any_fork follow the reference's code at the paper's results (attacks summed over the
    // unpinned attackers of one type); *_last_knight / *_last_attacker its earlier rule (the last attacker
    // in square order decides). Values worked out by hand from the knights' squares.
    [Theory]
    // Knight d4 attacks the rook c6 and the queen e6.
    [InlineData("4k3/8/2r1q3/8/3N4/8/8/K7 w - - 0 1", true, false, true, true, true, false)]
    // A second knight on h8, later in square order, forks nothing: summed, d4's two targets still count;
    // the earlier rule looks at h8 alone.
    [InlineData("4k2N/8/2r1q3/8/3N4/8/8/K7 w - - 0 1", true, false, true, true, false, false)]
    // Two rooks: one target type twice, which any_fork needs of one attacker.
    [InlineData("4k3/8/2r1r3/8/3N4/8/8/K7 w - - 0 1", true, true, true, true, true, true)]
    // The knight is pinned by the bishop on g7 to the king on a1.
    [InlineData("4k3/6b1/2r1q3/8/3N4/8/8/K7 w - - 0 1", false, false, false, false, false, false)]
    // A pawn on d5 forks the knight c6 and bishop e6 (different types).
    [InlineData("4k3/8/2n1b3/3P4/8/8/8/K7 w - - 0 1", false, false, false, true, false, false)]
    // Knights on b4 and g5 each attack one rook (c6 and e6): a fork only when the counts are summed.
    [InlineData("4k3/8/2r1r3/6N1/1N6/8/8/K7 w - - 0 1", true, true, false, false, false, false)]
    // Both knights (d4, f4) attack the queen e6: summed, two attacks on one queen; the last knight (f4) has one.
    [InlineData("4k3/8/4q3/8/3N1N2/8/8/K7 w - - 0 1", true, true, false, false, false, false)]
    // The same with Black to move: Black's knights d5 and f5 both attack White's queen e3.
    [InlineData("4k3/8/8/3n1n2/8/4Q3/8/K7 b - - 0 1", true, true, false, false, false, false)]
    public void Forks(string fen, bool specific, bool any, bool anyKnight, bool mixed, bool specificLastKnight, bool anyLastAttacker)
    {
        Flag(ChessProperties.SpecificFork, fen).Should().Be(specific);
        Flag(ChessProperties.AnyFork, fen).Should().Be(any);
        Flag(ChessProperties.SpecificForkAnyKnight, fen).Should().Be(anyKnight);
        Flag(ChessProperties.AnyForkMixedTargets, fen).Should().Be(mixed);
        Flag(ChessProperties.SpecificForkLastKnight, fen).Should().Be(specificLastKnight);
        Flag(ChessProperties.AnyForkLastAttacker, fen).Should().Be(anyLastAttacker);
    }

    [Fact]
    public void The_former_names_of_the_summed_fork_rule_still_find_it()
    {
        ChessProperties.ByName("specific_fork_summed").Should().BeSameAs(ChessProperties.SpecificFork);
        ChessProperties.ByName("any_fork_summed").Should().BeSameAs(ChessProperties.AnyFork);
        ChessProperties.All.Select(p => p.Name).Should().OnlyHaveUniqueItems().And.NotContain("specific_fork_summed");
    }

    [Theory]
    [InlineData(ChessFen.InitialFen, true, true, true)]
    [InlineData("r3k2r/8/8/8/8/8/8/R3K2R w Kq - 0 1", true, true, false)]
    [InlineData("r3k2r/8/8/8/8/8/8/R3K2R b Kq - 0 1", true, false, true)]
    [InlineData("r3k2r/8/8/8/8/8/8/R3K2R b KQ - 0 1", false, false, false)]
    public void Castling_rights_are_the_side_to_moves(string fen, bool any, bool kingside, bool queenside)
    {
        Flag(ChessProperties.HasCastlingRights, fen).Should().Be(any);
        Flag(ChessProperties.HasKingsideCastlingRights, fen).Should().Be(kingside);
        Flag(ChessProperties.HasQueensideCastlingRights, fen).Should().Be(queenside);
    }

    [Theory]
    [InlineData("7k/8/8/3pP3/8/8/8/K7 w - d6 0 2", true)]
    [InlineData("8/8/8/K2pP2r/8/8/8/7k w - d6 0 1", false)]
    [InlineData(ChessFen.InitialFen, false)]
    public void Has_legal_en_passant(string fen, bool expected) => Flag(ChessProperties.HasLegalEnPassant, fen).Should().Be(expected);

    [Fact]
    public void Can_claim_draw_by_fifty_moves_or_threefold_repetition()
    {
        Flag(ChessProperties.CanClaimDraw, "4k3/8/8/8/8/8/8/4K2R w - - 100 80").Should().BeTrue();
        Flag(ChessProperties.CanClaimDraw, "4k3/8/8/8/8/8/8/4K2R w - - 99 80").Should().BeTrue("a rook move reaches 100");
        Flag(ChessProperties.CanClaimDraw, "4k3/8/8/8/8/8/8/4K2R w - - 98 80").Should().BeFalse();
        // With the clock at 99 and only pawn moves and no king move, no claim: the king on a1 and bishop on b1 are boxed in by their own pawns.
        Flag(ChessProperties.CanClaimDraw, "7k/8/8/8/8/1p6/PPP5/KB6 w - - 99 80").Should().BeFalse();
        var game = ChessGame.FromSan(["Nf3", "Nf6", "Ng1", "Ng8", "Nf3", "Nf6", "Ng1"]);
        var plies = game.Plies();
        var labels = ChessProperties.Label(plies, [ChessProperties.CanClaimDraw])[0];
        labels.Should().Equal(0, 0, 0, 0, 0, 0, 0, 1);
    }

    [Theory]
    [InlineData(ChessFen.InitialFen, false, false, false)]
    [InlineData("4k3/8/8/8/8/8/8/R3K3 w - - 0 1", true, false, false)]
    [InlineData("6k1/5ppp/8/8/8/8/8/R5K1 w - - 0 1", true, true, false)]
    [InlineData("6k1/5ppp/8/8/8/8/8/R5K1 b - - 0 1", false, false, true)]
    public void Checks_and_mate_threats(string fen, bool canCheck, bool mateThreat, bool opponentMateThreat)
    {
        Flag(ChessProperties.CanCheckNext, fen).Should().Be(canCheck);
        Flag(ChessProperties.HasMateThreat, fen).Should().Be(mateThreat, "the reference's mirrored board keeps the same player to move");
        Flag(ChessProperties.HasMateThreatOpponent, fen).Should().Be(opponentMateThreat);
    }

    [Fact]
    public void The_opponents_mate_threat_is_not_asked_in_check()
    {
        Flag(ChessProperties.HasMateThreatOpponent, "6k1/5ppp/8/8/8/8/8/R5Kr w - - 0 1").Should().BeFalse();
    }

    [Theory]
    [InlineData("4k3/8/8/3q4/8/8/8/3RK3 w - - 0 1", true, true)]
    // Two black queens: the reference looks only at the one on the highest square (h8), out of reach.
    [InlineData("4k2q/8/8/3q4/8/8/8/3RK3 w - - 0 1", false, true)]
    [InlineData(ChessFen.InitialFen, false, false)]
    public void Can_capture_queen(string fen, bool reference, bool any)
    {
        Flag(ChessProperties.CanCaptureQueen, fen).Should().Be(reference);
        Flag(ChessProperties.CanCaptureAnyQueen, fen).Should().Be(any);
    }

    [Theory]
    [InlineData(ChessFen.InitialFen, true, true, false)]
    [InlineData("4k3/8/8/8/8/8/8/2B1KB2 w - - 0 1", false, true, false)]
    [InlineData("4k3/8/8/8/8/8/8/2B1K3 w - - 0 1", false, false, false)]
    [InlineData("4k3/8/8/8/8/8/8/R4RK1 w - - 0 1", false, false, true)]
    [InlineData("4k3/8/8/8/8/R7/8/R3K3 w - - 0 1", false, false, true)]
    [InlineData("4k3/8/8/8/8/8/8/R3K2R w - - 0 1", false, false, false)]
    [InlineData("4k3/8/8/8/8/8/8/R3K2R b - - 0 1", false, false, false)]
    public void Material_properties(string fen, bool queen, bool bishopPair, bool connectedRooks)
    {
        Flag(ChessProperties.HasQueen, fen).Should().Be(queen);
        Flag(ChessProperties.HasBishopPair, fen).Should().Be(bishopPair);
        Flag(ChessProperties.HasConnectedRooks, fen).Should().Be(connectedRooks);
    }

    [Theory]
    [InlineData(ChessFen.InitialFen, false, false)]
    [InlineData("4k3/8/8/8/8/8/8/1N2KN2 w - - 0 1", true, true)]
    [InlineData("4k3/8/8/3p4/2P1P3/8/8/4K3 w - - 0 1", true, false)]
    [InlineData("4k3/P7/8/8/8/8/8/4K3 w - - 0 1", false, false)] // four promotions from one pawn are not ambiguous
    public void Ambiguous_moves(string fen, bool reference, bool san)
    {
        Flag(ChessProperties.AmbiguousMoves, fen).Should().Be(reference);
        Flag(ChessProperties.AmbiguousSanMoves, fen).Should().Be(san);
    }

    [Fact]
    public void One_pass_labelling_equals_labelling_each_property_alone()
    {
        var plies = RandomChessGames.Game(3, 0, maxPlies: 120).Plies();
        var together = ChessProperties.Label(plies, ChessProperties.All);
        for (var k = 0; k < ChessProperties.All.Count; k++)
            together[k].Should().Equal(ChessProperties.All[k].Label(plies), ChessProperties.All[k].Name);
    }
}
