// The parser's error is part of this library's API (a packet's invalid JSON): exported, as
// Hummingbird exports the HTTP types of its API, so that users need no other import.
@_exported public import struct JSONParsing.JSONParsingError
