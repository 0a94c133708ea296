/*
 * Text that speaks to a model or tries to act, not to describe: what an alert's title or
 * description carries when someone plants it there. A narrative describes an incident; it
 * never addresses its reader's tools, changes severity or routing, or embeds markup. The
 * patterns are bounded (no open-ended repetition) and run on texts cut to a few thousand
 * characters.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [
    /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,60}\b(?:instructions?|prompts?|rules|guidelines|directives?|context|messages?)\b/i,
    'tells the reader to ignore its instructions',
  ],
  [/\b(?:system|developer|hidden)\s{1,3}prompts?\b/i, 'talks about a prompt'],
  [
    /\b(?:you are now|from now on|new instructions?|act as|pretend to be|as an ai)\b/i,
    'addresses a model',
  ],
  [/\bjailbreak|\bDAN mode\b/i, 'addresses a model'],
  [
    /(?:^|\n)\s{0,8}(?:system|assistant|developer|user)\s?:(?=\s|$)/i,
    'carries a chat role marker',
  ],
  [
    /\b(?:set|change|raise|lower|downgrade|upgrade|update)\s{1,3}(?:the\s{1,3}|its\s{1,3}|this\s{1,3})?(?:incident'?s?\s{1,3})?(?:severity|priority|status|routing|route|owner|assignee)\b/i,
    'tries to change the incident',
  ],
  [
    /\b(?:close|resolve|acknowledge|ack|silence|mute|suppress|delete|merge|escalate|reassign)\s{1,3}(?:this|the|all|every)\s{1,3}(?:incidents?|alerts?)\b/i,
    'tries to act on the incident',
  ],
  [
    /\b(?:page|notify|email|message|call|alert)\s{1,3}(?:everyone|everybody|all\s{1,3}(?:teams|users|engineers|on-?call))\b/i,
    'tries to notify people',
  ],
  [
    /\b(?:do not|don't|never)\s{1,3}(?:tell|mention|report|reveal|include|show)\b/i,
    'tells the reader what to hide',
  ],
  [
    /\b(?:reveal|print|output|send)\b[^.!?\n]{0,40}\b(?:secrets?|api keys?|tokens?|passwords?|credentials?)\b/i,
    'asks for secrets',
  ],
  [
    /<\s{0,3}\/?\s{0,3}(?:script|iframe|img|a|object|embed|svg|style|link|meta|form|input)\b/i,
    'carries HTML',
  ],
  [
    /`{3}|<{3}|>{3}|\b(?:BEGIN|END)[_ ](?:DATA|ALERT|UNTRUSTED|PROMPT)\b/i,
    'carries prompt fences',
  ],
];

/** What makes `text` instruction-like, or undefined. The template uses it to skip unsafe names. */
export function instructionLike(text: string): string | undefined {
  return PATTERNS.find(([pattern]) => pattern.test(text))?.[1];
}

/**
 * Every instruction-like pattern `text` matches: what it is and the text that matched. The
 * narrator's grounding check rejects a narrative with any.
 */
export function instructionMatches(
  text: string,
): Array<{ what: string; match: string }> {
  return PATTERNS.filter(([pattern]) => pattern.test(text)).map(
    ([pattern, what]) => ({ what, match: pattern.exec(text)?.[0] ?? '' }),
  );
}
