//! MS-NLMP §4.2.4 (NTLMv2 authentication) test vectors, and hostile CHALLENGEs.

use super::*;

fn hex(text: &str) -> Vec<u8> {
    let digits: String = text.split_whitespace().collect();
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap())
        .collect()
}

/// The CHALLENGE message of MS-NLMP §4.2.4.3.
const CHALLENGE: &str = "4e544c4d53535000 02000000 0c000c0038000000 33828ae2 0123456789abcdef
    0000000000000000 2400240044000000 060070170000000f 530065007200760065007200
    02000c0044006f006d00610069006e00 01000c0053006500720076006500720000000000";

fn vector_nonce() -> Nonce {
    Nonce {
        client_challenge: [0xaa; 8],
        time: [0; 8],
    }
}

#[test]
fn ntowf_v2_matches_ms_nlmp_4_2_4_1_1() {
    assert_eq!(
        ntowf_v2("Password", "User", "Domain").to_vec(),
        hex("0c868a403bfd7a93a3001ef22ef02e3f")
    );
}

#[test]
fn the_challenge_of_ms_nlmp_4_2_4_3_parses() {
    let challenge = parse_challenge(&hex(CHALLENGE)).unwrap();
    assert_eq!(challenge.server_challenge.to_vec(), hex("0123456789abcdef"));
    assert_eq!(challenge.flags, 0xe28a_8233);
    assert_eq!(
        challenge.av_pairs,
        vec![
            (2, hex("44006f006d00610069006e00")),
            (1, hex("530065007200760065007200"))
        ]
    );
    assert_eq!(challenge.timestamp(), None);
}

#[test]
fn the_ntlmv2_responses_match_ms_nlmp_4_2_4_2() {
    let challenge = parse_challenge(&hex(CHALLENGE)).unwrap();
    let mut target_info =
        hex("02000c0044006f006d00610069006e00 01000c0053006500720076006500720000000000");
    target_info.truncate(36);
    let key = ntowf_v2("Password", "User", "Domain");
    let answers = responses(
        &key,
        &challenge.server_challenge,
        &vector_nonce(),
        &[0; 8],
        &target_info,
        false,
    );
    // §4.2.4.2.1 LMv2 response, §4.2.4.2.2 NTProofStr, §4.2.4.1.2 session base key.
    assert_eq!(
        answers.lm,
        hex("86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        answers.nt[..16].to_vec(),
        hex("68cd0ab851e51c96aabc927bebef6a1c")
    );
    assert_eq!(
        answers.session_base_key.to_vec(),
        hex("8de40ccadbc14a82f15cb0ad0de95ca3")
    );
}

#[test]
fn the_authenticate_message_carries_the_vector_response() {
    let challenge_bytes = hex(CHALLENGE);
    let challenge = parse_challenge(&challenge_bytes).unwrap();
    let identity = Identity {
        user: "User",
        domain: "Domain",
        password: "Password",
    };
    let message = authenticate(
        &identity,
        &negotiate(),
        &challenge_bytes,
        &challenge,
        &vector_nonce(),
        None,
    );
    assert_eq!(&message[..12], b"NTLMSSP\0\x03\0\0\0");
    let nt = field(&message, 20).unwrap();
    assert_eq!(nt[..16].to_vec(), hex("68cd0ab851e51c96aabc927bebef6a1c"));
    assert_eq!(field(&message, 28).unwrap(), utf16le("Domain").as_slice());
    assert_eq!(field(&message, 36).unwrap(), utf16le("User").as_slice());
    // No timestamp from the server: no MIC.
    assert_eq!(&message[MIC_OFFSET..MIC_OFFSET + 16], &[0; 16]);
}

#[test]
fn a_server_timestamp_brings_a_mic_and_channel_binding_is_carried() {
    let mut challenge_bytes = hex(CHALLENGE);
    // Target info grows by an MsvAvTimestamp before the EOL.
    challenge_bytes.truncate(challenge_bytes.len() - 4);
    challenge_bytes.extend_from_slice(&hex("07000800 0102030405060708 00000000"));
    challenge_bytes[40] += 12;
    challenge_bytes[42] += 12;
    let challenge = parse_challenge(&challenge_bytes).unwrap();
    assert_eq!(challenge.timestamp(), Some([1, 2, 3, 4, 5, 6, 7, 8]));
    let identity = Identity {
        user: "User",
        domain: "Domain",
        password: "Password",
    };
    let binding = channel_binding_hash(&[0x42; 32]);
    let message = authenticate(
        &identity,
        &negotiate(),
        &challenge_bytes,
        &challenge,
        &vector_nonce(),
        Some(binding),
    );
    assert_ne!(&message[MIC_OFFSET..MIC_OFFSET + 16], &[0; 16]);
    assert_eq!(field(&message, 12).unwrap(), &[0; 24]);
    let nt = field(&message, 20).unwrap();
    let blob = &nt[16..];
    assert_eq!(&blob[8..16], &[1, 2, 3, 4, 5, 6, 7, 8]);
    let needle: Vec<u8> = [&hex("0a001000")[..], &binding[..]].concat();
    assert!(blob.windows(needle.len()).any(|w| w == needle.as_slice()));
    // Without TLS the bindings are there, all zeros.
    let clear = authenticate(
        &identity,
        &negotiate(),
        &challenge_bytes,
        &challenge,
        &vector_nonce(),
        None,
    );
    let blob = &field(&clear, 20).unwrap()[16..];
    let zeros: Vec<u8> = [&hex("0a001000")[..], &[0; 16][..]].concat();
    assert!(blob.windows(zeros.len()).any(|w| w == zeros.as_slice()));
}

#[test]
fn hostile_challenges_are_errors_not_panics() {
    let good = hex(CHALLENGE);
    assert_eq!(parse_challenge(b""), Err(ChallengeError::NotChallenge));
    assert_eq!(
        parse_challenge(b"garbage"),
        Err(ChallengeError::NotChallenge)
    );
    let mut far = good.clone();
    far[44..48].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
    assert_eq!(parse_challenge(&far), Err(ChallengeError::Truncated));
    let mut long_pair = good.clone();
    long_pair[0x44 + 2] = 0xff;
    assert_eq!(
        parse_challenge(&long_pair),
        Err(ChallengeError::BadTargetInfo)
    );
    // Every prefix and a byte flipped anywhere: errors or a parse, never a panic.
    for end in 0..good.len() {
        let _ = parse_challenge(&good[..end]);
    }
    for at in 0..good.len() {
        let mut flipped = good.clone();
        flipped[at] ^= 0xff;
        let _ = parse_challenge(&flipped);
    }
}

#[test]
fn the_domain_comes_from_the_field_or_the_user_name() {
    assert_eq!(
        split_user("CORP\\alice", ""),
        ("alice".into(), "CORP".into())
    );
    assert_eq!(
        split_user("alice@corp.example", ""),
        ("alice".into(), "corp.example".into())
    );
    assert_eq!(split_user("alice", "CORP"), ("alice".into(), "CORP".into()));
    assert_eq!(
        split_user("OTHER\\alice", "CORP"),
        ("alice".into(), "CORP".into())
    );
    assert_eq!(split_user("alice", ""), ("alice".into(), String::new()));
}
