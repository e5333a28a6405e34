package io.prebuilds.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression reads, with a small tokenizer rather than a full
 * parser: enough to check that rules and dashboards only query metrics the app exports.
 *
 * <p>An identifier is a metric name unless it is a keyword or operator ({@code by}, {@code and},
 * {@code offset}...), a function or aggregation (followed by a parenthesis), a label inside a
 * grouping clause ({@code by (...)}, {@code on (...)}, {@code group_left(...)}) or a selector's
 * braces, an aggregation followed by its grouping clause ({@code max by (...) (...)}), or part of a
 * range or subquery in brackets. Strings, numbers, durations and Grafana variables ({@code
 * $__rate_interval}, {@code ${preset}}) are skipped.
 */
final class PromQl {

  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "atan2",
          "inf",
          "nan");
  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\s*\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");
  private static final Pattern LABEL_VALUES_LABEL_ONLY =
      Pattern.compile("^\\s*label_values\\s*\\(\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");
  private static final Pattern QUERY_RESULT =
      Pattern.compile("^\\s*query_result\\s*\\((.*)\\)\\s*$");

  private PromQl() {}

  private enum Kind {
    IDENT,
    OPEN_PAREN,
    CLOSE_PAREN,
    OPEN_BRACE,
    CLOSE_BRACE,
    OPEN_BRACKET,
    CLOSE_BRACKET,
    OTHER
  }

  private record Token(Kind kind, String text) {}

  /** The metric names an expression reads (also accepts Grafana's label_values/query_result). */
  static Set<String> metricNames(String expression) {
    Matcher labelValues = LABEL_VALUES.matcher(expression);
    if (labelValues.matches()) {
      return metricNames(labelValues.group(1));
    }
    if (LABEL_VALUES_LABEL_ONLY.matcher(expression).matches()) {
      return Set.of();
    }
    Matcher queryResult = QUERY_RESULT.matcher(expression);
    if (queryResult.matches()) {
      return metricNames(queryResult.group(1));
    }
    List<Token> tokens = tokenize(expression);
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      switch (token.kind()) {
        case OPEN_BRACE -> i = skipTo(tokens, i, Kind.CLOSE_BRACE);
        case OPEN_BRACKET -> i = skipTo(tokens, i, Kind.CLOSE_BRACKET);
        case IDENT -> {
          String lower = token.text().toLowerCase(Locale.ROOT);
          Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : new Token(Kind.OTHER, "");
          boolean calledAsFunction =
              next.kind() == Kind.OPEN_PAREN
                  || (AGGREGATIONS.contains(lower)
                      && (next.text().equals("by") || next.text().equals("without")));
          if (LABEL_LIST_KEYWORDS.contains(lower) && next.kind() == Kind.OPEN_PAREN) {
            i = skipTo(tokens, i + 1, Kind.CLOSE_PAREN);
          } else if (!KEYWORDS.contains(lower) && !calledAsFunction) {
            names.add(token.text());
          }
        }
        default -> {}
      }
    }
    return names;
  }

  private static int skipTo(List<Token> tokens, int from, Kind closing) {
    for (int j = from + 1; j < tokens.size(); j++) {
      if (tokens.get(j).kind() == closing) {
        return j;
      }
    }
    throw new IllegalArgumentException("unbalanced expression: no closing " + closing);
  }

  private static List<Token> tokenize(String s) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        int end = s.indexOf('\n', i);
        i = end < 0 ? s.length() : end;
      } else if (c == '"' || c == '\'' || c == '`') {
        i = endOfString(s, i);
      } else if (c == '$') {
        i = endOfVariable(s, i);
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && isDigit(s, i + 1))) {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.OTHER, s.substring(start, i)));
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < s.length()
            && (Character.isLetterOrDigit(s.charAt(i))
                || s.charAt(i) == '_'
                || s.charAt(i) == ':')) {
          i++;
        }
        tokens.add(new Token(Kind.IDENT, s.substring(start, i)));
      } else {
        Kind kind =
            switch (c) {
              case '(' -> Kind.OPEN_PAREN;
              case ')' -> Kind.CLOSE_PAREN;
              case '{' -> Kind.OPEN_BRACE;
              case '}' -> Kind.CLOSE_BRACE;
              case '[' -> Kind.OPEN_BRACKET;
              case ']' -> Kind.CLOSE_BRACKET;
              default -> Kind.OTHER;
            };
        tokens.add(new Token(kind, String.valueOf(c)));
        i++;
      }
    }
    return tokens;
  }

  private static boolean isDigit(String s, int i) {
    return Character.isDigit(s.charAt(i));
  }

  private static int endOfString(String s, int start) {
    char quote = s.charAt(start);
    int i = start + 1;
    while (i < s.length() && s.charAt(i) != quote) {
      i += (s.charAt(i) == '\\' && quote != '`') ? 2 : 1;
    }
    if (i >= s.length()) {
      throw new IllegalArgumentException("unterminated string in: " + s);
    }
    return i + 1;
  }

  private static int endOfVariable(String s, int start) {
    int i = start + 1;
    if (i < s.length() && s.charAt(i) == '{') {
      int end = s.indexOf('}', i);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated ${...} in: " + s);
      }
      return end + 1;
    }
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    return i;
  }
}
