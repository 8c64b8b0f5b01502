namespace Sae.Games.Othello;

/// <summary>What a set of Othello games looks like: lengths, passes, endings and outcomes.</summary>
/// <param name="Games">The number of games.</param>
/// <param name="MeanLength">The mean number of moves per game.</param>
/// <param name="MinLength">The fewest moves in a game (0 when there are no games).</param>
/// <param name="MaxLength">The most moves in a game.</param>
/// <param name="FullBoardGames">Games that filled the board (60 moves).</param>
/// <param name="GamesWithPass">Games in which a player had to pass at least once.</param>
/// <param name="Passes">Passes over all games.</param>
/// <param name="WipeOuts">Games that ended with one colour gone from the board.</param>
/// <param name="BlackWins">Games black ended with more discs.</param>
/// <param name="WhiteWins">Games white ended with more discs.</param>
/// <param name="Draws">Games that ended level.</param>
public sealed record OthelloDatasetSummary(
    long Games, double MeanLength, int MinLength, int MaxLength, long FullBoardGames,
    long GamesWithPass, long Passes, long WipeOuts, long BlackWins, long WhiteWins, long Draws)
{
    /// <summary>Summarises <paramref name="games"/> in one pass.</summary>
    public static OthelloDatasetSummary Of(IEnumerable<OthelloGame> games)
    {
        long count = 0, moves = 0, full = 0, withPass = 0, passes = 0, wipeOuts = 0, black = 0, white = 0, draws = 0;
        int min = int.MaxValue, max = 0;
        foreach (var game in games)
        {
            count++;
            moves += game.Length;
            min = Math.Min(min, game.Length);
            max = Math.Max(max, game.Length);
            if (game.Length == OthelloGame.MaxMoves) full++;
            var gamePasses = game.PassCount;
            passes += gamePasses;
            if (gamePasses > 0) withPass++;
            var end = game.FinalPosition;
            if (end.IsGameOver && (end.Black == 0 || end.White == 0)) wipeOuts++;
            switch (end.Leader)
            {
                case OthelloColor.Black: black++; break;
                case OthelloColor.White: white++; break;
                default: draws++; break;
            }
        }
        return new(count, count == 0 ? 0 : (double)moves / count, count == 0 ? 0 : min, max, full, withPass, passes, wipeOuts, black, white, draws);
    }
}
