#include "auth/principals_file.h"

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "auth/token_hash.h"

namespace auth {
namespace {

constexpr char kTokenPrefix[] = "token=";
// Callers whose tokens stay verified at once: more than any principals file
// names, few enough that random tokens cannot grow memory.
constexpr size_t kMaxVerifiedTokens = 1024;

absl::Status ParseCredentials(absl::string_view text, Principal& principal) {
  for (absl::string_view credential : absl::StrSplit(text, ',')) {
    if (credential == "cert") {
      principal.accepts_certificate = true;
    } else if (absl::ConsumePrefix(&credential, kTokenPrefix)) {
      if (absl::Status s = CheckTokenHashFormat(credential); !s.ok()) return s;
      principal.token_hashes.emplace_back(credential);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("credential (given: '", credential,
                       "'; expected: cert or token=HASH)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Grant> ParseGrant(absl::string_view text) {
  std::pair<absl::string_view, absl::string_view> role_scope =
      absl::StrSplit(text, absl::MaxSplits('@', 1));
  const absl::string_view role = role_scope.first;
  const absl::string_view scope = role_scope.second;
  bool scoped = absl::StrContains(text, '@');
  if ((role == "submitter" || role == "reviewer") && scoped && !scope.empty()) {
    return Grant{role == "submitter" ? Role::kSubmitter : Role::kReviewer,
                 std::string(scope)};
  }
  if ((role == "auditor" || role == "public") && !scoped) {
    return Grant{role == "auditor" ? Role::kAuditor : Role::kPublic,
                 kEveryNode};
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "role (given: '", text,
      "'; expected: submitter@SCOPE, reviewer@SCOPE, auditor or public)"));
}

absl::StatusOr<Principal> ParseLine(absl::string_view line) {
  std::vector<absl::string_view> fields =
      absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (fields.size() < 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("line (given: ", fields.size(),
                     " fields; expected: name, credentials, roles...)"));
  }
  Principal principal;
  principal.name = std::string(fields[0]);
  if (absl::Status s = ParseCredentials(fields[1], principal); !s.ok()) {
    return s;
  }
  for (size_t i = 2; i < fields.size(); ++i) {
    absl::StatusOr<Grant> grant = ParseGrant(fields[i]);
    if (!grant.ok()) return grant.status();
    principal.grants.push_back(*std::move(grant));
  }
  return principal;
}

}  // namespace

const Principal* Principals::FindByCertificate(
    const std::vector<std::string>& names) const {
  for (const Principal& principal : principals_) {
    if (!principal.accepts_certificate) continue;
    for (const std::string& name : names) {
      if (name == principal.name) return &principal;
    }
  }
  return nullptr;
}

Principals::Principals(std::vector<Principal> principals)
    : principals_(std::move(principals)),
      verified_tokens_(std::make_unique<VerifiedTokens>(kMaxVerifiedTokens)) {
  for (size_t p = 0; p < principals_.size(); ++p) {
    for (size_t h = 0; h < principals_[p].token_hashes.size(); ++h) {
      by_token_id_.try_emplace(TokenId(principals_[p].token_hashes[h]),
                               HashRef{p, h});
    }
  }
}

const Principal* Principals::FindVerifiedToken(absl::string_view token) const {
  std::optional<size_t> verified =
      verified_tokens_->Find(VerifiedTokens::Digest(token));
  return verified.has_value() ? &principals_[*verified] : nullptr;
}

const Principal* Principals::FindByToken(absl::string_view token) const {
  std::optional<BearerToken> parts = SplitToken(token);
  if (!parts.has_value() || parts->secret.empty()) return nullptr;
  auto found = by_token_id_.find(absl::AsciiStrToLower(parts->id));
  if (found == by_token_id_.end()) return nullptr;
  const std::string digest = VerifiedTokens::Digest(token);
  if (std::optional<size_t> verified = verified_tokens_->Find(digest)) {
    return &principals_[*verified];
  }
  const HashRef ref = found->second;
  if (!TokenMatches(parts->secret,
                    principals_[ref.principal].token_hashes[ref.hash])) {
    return nullptr;
  }
  verified_tokens_->Insert(digest, ref.principal);
  return &principals_[ref.principal];
}

absl::StatusOr<Principals> ParsePrincipals(absl::string_view text,
                                           absl::string_view file_name) {
  std::vector<Principal> principals;
  std::vector<std::string> errors;
  std::set<std::string> names;
  std::map<std::string, int> token_id_lines;  // Token ID to its line.
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    absl::StatusOr<Principal> principal = ParseLine(line);
    if (!principal.ok()) {
      errors.push_back(absl::StrCat(file_name, ":", line_number, ": ",
                                    principal.status().message()));
    } else if (!names.insert(principal->name).second) {
      errors.push_back(absl::StrCat(file_name, ":", line_number,
                                    ": name (given: '", principal->name,
                                    "'; expected: a name not used before)"));
    } else {
      for (const std::string& hash : principal->token_hashes) {
        auto [first, added] =
            token_id_lines.emplace(TokenId(hash), line_number);
        if (added) continue;
        errors.push_back(absl::StrCat(
            file_name, ":", line_number, ": token hash salt (given: '",
            first->first, "', the salt of line ", first->second,
            "; expected: a salt of its own, the ID of its tokens)"));
      }
      principals.push_back(*std::move(principal));
    }
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  return Principals(std::move(principals));
}

absl::StatusOr<Principals> LoadPrincipalsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParsePrincipals(text.str(), path);
}

}  // namespace auth
