// Package nuanxin holds the domain types of 暖心, the member-care platform of a
// Chinese trade union: organisations, members, relatives, users, grants and the
// audit log, plus the error codes and the message catalog every layer shares.
//
// It depends on the standard library only. Implementations live in sub-packages
// named after what they wrap: store (database/sql), web (net/http), idcard,
// pinyin (go-pinyin), secret (AES-GCM), demo.
package nuanxin
