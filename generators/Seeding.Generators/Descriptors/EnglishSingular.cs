using System;
using System.Collections.Generic;

namespace Seeding.Generators.Descriptors;

/// <summary>
/// The singular of one lower-case English word, for record names (<see cref="Naming.Singularize"/>): the regular
/// rules (<c>-ies</c>, <c>-sses</c>, <c>-xes</c>, <c>-ches</c>, <c>-shes</c>, <c>-uses</c>, <c>-s</c>) and the words
/// they would get wrong. A word that is already singular comes back as it is, so applying it twice changes nothing.
/// </summary>
internal static class EnglishSingular
{
    /// <summary>Plurals the rules would get wrong.</summary>
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["people"] = "person", ["children"] = "child", ["men"] = "man", ["women"] = "woman", ["mice"] = "mouse",
        ["geese"] = "goose", ["feet"] = "foot", ["teeth"] = "tooth", ["oxen"] = "ox", ["dice"] = "die",
        ["criteria"] = "criterion", ["phenomena"] = "phenomenon", ["curricula"] = "curriculum", ["bacteria"] = "bacterium", ["strata"] = "stratum",
        ["indices"] = "index", ["matrices"] = "matrix", ["vertices"] = "vertex", ["appendices"] = "appendix",
        ["analyses"] = "analysis", ["theses"] = "thesis", ["crises"] = "crisis", ["diagnoses"] = "diagnosis", ["hypotheses"] = "hypothesis",
        ["parentheses"] = "parenthesis", ["synopses"] = "synopsis", ["axes"] = "axis",
        ["cacti"] = "cactus", ["fungi"] = "fungus", ["alumni"] = "alumnus", ["radii"] = "radius", ["stimuli"] = "stimulus", ["syllabi"] = "syllabus", ["nuclei"] = "nucleus",
        ["quizzes"] = "quiz", ["aliases"] = "alias", ["gases"] = "gas", ["biases"] = "bias", ["atlases"] = "atlas", ["canvases"] = "canvas", ["lenses"] = "lens",
        ["heroes"] = "hero", ["potatoes"] = "potato", ["tomatoes"] = "tomato", ["echoes"] = "echo", ["vetoes"] = "veto", ["torpedoes"] = "torpedo",
        ["volcanoes"] = "volcano", ["mosquitoes"] = "mosquito", ["dominoes"] = "domino",
        ["wolves"] = "wolf", ["lives"] = "life", ["knives"] = "knife", ["wives"] = "wife", ["leaves"] = "leaf", ["shelves"] = "shelf",
        ["halves"] = "half", ["calves"] = "calf", ["loaves"] = "loaf", ["thieves"] = "thief", ["selves"] = "self",
    };

    /// <summary>Words with no other singular (or already singular though they end like a plural): unchanged.</summary>
    private static readonly HashSet<string> Invariant = new(StringComparer.Ordinal)
    {
        "news", "series", "species", "data", "metadata", "media", "info", "feedback", "equipment", "software", "hardware",
        "sheep", "deer", "fish", "aircraft", "analytics", "physics", "mathematics", "economics", "ethics", "logistics",
        "gas", "alias", "bias", "atlas", "canvas", "lens", "chaos", "cosmos", "ethos", "kudos", "pathos",
    };

    /// <summary>Words ending in <c>-uses</c> whose singular ends in <c>-use</c> although a consonant comes first.</summary>
    private static readonly HashSet<string> UseWords = new(StringComparer.Ordinal)
    {
        "uses", "abuses", "excuses", "fuses", "muses", "refuses", "ruses", "misuses", "reuses", "recluses", "accuses", "amuses",
        "diffuses", "infuses", "confuses", "disuses", "overuses",
    };

    /// <summary>Words ending in <c>-ies</c> whose singular ends in <c>-ie</c>.</summary>
    private static readonly HashSet<string> IeWords = new(StringComparer.Ordinal)
    {
        "movies", "cookies", "zombies", "rookies", "selfies", "calories", "brownies", "smoothies", "hoodies", "genies", "newbies",
        "freebies", "prairies", "sorties", "hippies", "veggies", "goalies", "indies", "junkies", "techies", "bookies", "aunties",
        "birdies", "magpies", "neckties", "lingeries", "pies", "ties", "lies", "dies",
    };

    /// <summary>Words ending in <c>-ches</c> whose singular ends in <c>-che</c>.</summary>
    private static readonly HashSet<string> CheWords = new(StringComparer.Ordinal)
    {
        "caches", "niches", "aches", "headaches", "cliches", "quiches", "moustaches", "mustaches", "avalanches", "psyches", "microfiches",
    };

    /// <summary>The singular of <paramref name="word"/> (lower case, letters only); a singular word unchanged.</summary>
    public static string Of(string word)
    {
        if (Irregular.TryGetValue(word, out var singular))
        {
            return singular;
        }

        if (Invariant.Contains(word) || word.Length < 3)
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal))
        {
            // categories -> category; movies -> movie.
            return IeWords.Contains(word) || word.Length < 5 ? Drop(word, 1) : Drop(word, 3) + "y";
        }

        if (word.EndsWith("uses", StringComparison.Ordinal))
        {
            // statuses -> status, bonuses -> bonus, geniuses -> genius; houses -> house, causes -> cause, uses -> use.
            var before = word.Length > 4 ? word[word.Length - 5] : 'a';
            return UseWords.Contains(word) || before is 'a' or 'o' ? Drop(word, 1) : Drop(word, 2);
        }

        if (word.EndsWith("ches", StringComparison.Ordinal))
        {
            return CheWords.Contains(word) ? Drop(word, 1) : Drop(word, 2);
        }

        foreach (var suffix in new[] { "sses", "xes", "shes", "zzes" })
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal))
            {
                // addresses -> address, boxes -> box, wishes -> wish, buzzes -> buzz.
                return Drop(word, 2);
            }
        }

        // status, address, analysis: singular words that end in s.
        var singularEnding = word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal) || word.EndsWith("is", StringComparison.Ordinal);
        return word.EndsWith("s", StringComparison.Ordinal) && !singularEnding ? Drop(word, 1) : word;
    }

    private static string Drop(string word, int count) => word.Substring(0, word.Length - count);
}
