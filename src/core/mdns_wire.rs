//! Just enough of the DNS wire format to see who announced what: the owner names of the
//! SRV records in a multicast DNS response. The discovery shell hears every mDNS packet
//! with its source address, and a server's address is the one its announcement came from,
//! not whatever an A record for its host name says (anyone can send one).
//!
//! Also the two sides of asking an address directly (servers on other subnets): the
//! one-shot PTR question ([`service_query`]), the server's legacy unicast answer
//! ([`legacy_answer`], [`asks_for_service`]) and the ports its SRV records give
//! ([`srv_ports`]).
//!
//! Pure and bounded: a packet is at most 9000 bytes, at most [`MAX_RECORDS`] records are
//! looked at, a name is at most 255 bytes and follows at most [`MAX_JUMPS`] compression
//! pointers. Anything malformed ends the reading, keeping what was read so far.

/// The most records of one packet looked at.
pub const MAX_RECORDS: usize = 64;
/// The most compression pointers one name may follow.
pub const MAX_JUMPS: usize = 16;
const MAX_NAME: usize = 255;
const SRV: u16 = 33;
const TXT: u16 = 16;
const PTR: u16 = 12;
const A: u16 = 1;

fn u16_at(p: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*p.get(at)?, *p.get(at + 1)?]))
}

/// Reads the name at `at`: its text (labels joined by `.`, ending in `.`, as `mdns-sd`
/// writes full names) when it is UTF-8, and the offset just past it.
fn name_at(p: &[u8], mut at: usize) -> Option<(Option<String>, usize)> {
    let mut bytes: Vec<u8> = Vec::new();
    let mut end = None;
    let mut jumps = 0;
    loop {
        let len = *p.get(at)?;
        match len & 0xC0 {
            0x00 if len == 0 => {
                let end = end.unwrap_or(at + 1);
                return Some((String::from_utf8(bytes).ok(), end));
            }
            0x00 => {
                let label = p.get(at + 1..at + 1 + usize::from(len))?;
                if bytes.len() + label.len() + 1 > MAX_NAME {
                    return None;
                }
                bytes.extend_from_slice(label);
                bytes.push(b'.');
                at += 1 + usize::from(len);
            }
            0xC0 => {
                jumps += 1;
                if jumps > MAX_JUMPS {
                    return None;
                }
                let target = usize::from(u16_at(p, at)? & 0x3FFF);
                end.get_or_insert(at + 2);
                at = target;
            }
            _ => return None,
        }
    }
}

/// The owner names of the live SRV records in `packet` (a TTL of 0 is a goodbye, and is
/// left out), if it is a response; empty for a query or anything unreadable.
pub fn srv_owners(packet: &[u8]) -> Vec<String> {
    live_records(packet)
        .into_iter()
        .filter(|r| r.rtype == SRV)
        .filter_map(|r| r.owner)
        .collect()
}

/// One record of a response, as [`live_records`] reads it.
struct LiveRecord<'p> {
    /// Its owner name (`None`: present but unreadable as a name).
    owner: Option<String>,
    rtype: u16,
    /// Its data (`None`: cut short by the end of the packet).
    data: Option<&'p [u8]>,
}

/// The live records (a TTL of 0 is a goodbye, and is left out) of the answer, authority
/// and additional sections of `packet`, if it is a response; empty for a query. At most
/// [`MAX_RECORDS`] questions are skipped and records read, and reading stops at the first
/// that cannot be read (what came before it is kept).
fn live_records(packet: &[u8]) -> Vec<LiveRecord<'_>> {
    let mut out = Vec::new();
    let Some(flags) = u16_at(packet, 2) else {
        return out;
    };
    if flags & 0x8000 == 0 {
        return out;
    }
    let count = |at| usize::from(u16_at(packet, at).unwrap_or(0));
    let questions = count(4);
    let records = count(6) + count(8) + count(10);
    let mut at = 12;
    for _ in 0..questions.min(MAX_RECORDS) {
        let Some((_, next)) = name_at(packet, at) else {
            return out;
        };
        at = next + 4;
    }
    for _ in 0..records.min(MAX_RECORDS) {
        let Some((owner, next)) = name_at(packet, at) else {
            return out;
        };
        let (Some(rtype), Some(len)) = (u16_at(packet, next), u16_at(packet, next + 8)) else {
            return out;
        };
        let ttl = u16_at(packet, next + 4).zip(u16_at(packet, next + 6));
        if ttl.is_some_and(|(hi, lo)| hi != 0 || lo != 0) {
            out.push(LiveRecord {
                owner,
                rtype,
                data: packet.get(next + 10..next + 10 + usize::from(len)),
            });
        }
        at = next + 10 + usize::from(len);
        if at > packet.len() {
            break;
        }
    }
    out
}

/// One `key=value` string of a TXT record: the key, and the value's bytes.
pub type TxtPair = (String, Vec<u8>);

/// The live TXT records in `packet` whose owner name ends with `service` (compared
/// without case), if it is a response: each owner with its `key=value` pairs (a string
/// without `=` is a key with an empty value). Bounded as [`srv_owners`] is.
pub fn txt_records(packet: &[u8], service: &str) -> Vec<(String, Vec<TxtPair>)> {
    let service = service.to_ascii_lowercase();
    live_records(packet)
        .into_iter()
        .filter(|r| r.rtype == TXT)
        .filter_map(|r| match (r.owner, r.data) {
            (Some(owner), Some(data)) if owner.to_ascii_lowercase().ends_with(&service) => {
                Some((owner, txt_pairs(data)))
            }
            _ => None,
        })
        .collect()
}

/// A TXT record's strings as `key=value` pairs (keys read as UTF-8, lossily).
fn txt_pairs(mut data: &[u8]) -> Vec<TxtPair> {
    let mut out = Vec::new();
    while let Some((&len, rest)) = data.split_first() {
        let Some(item) = rest.get(..usize::from(len)) else {
            break;
        };
        data = &rest[usize::from(len)..];
        let (key, value) = match item.iter().position(|&b| b == b'=') {
            Some(eq) => (&item[..eq], item[eq + 1..].to_vec()),
            None => (item, Vec::new()),
        };
        if !key.is_empty() {
            out.push((String::from_utf8_lossy(key).into_owned(), value));
        }
    }
    out
}

/// A multicast DNS query (QM) for the SRV and TXT records of the service instance
/// `instance` of `service` (such as `_turnchat._tcp.local.`), and for the service's PTR
/// records (a browser lists a server again only with its PTR); `None` when the instance
/// is longer than a DNS label (63 bytes) or empty.
pub fn instance_query(instance: &str, service: &str) -> Option<Vec<u8>> {
    if instance.is_empty() || instance.len() > 63 {
        return None;
    }
    let mut name = vec![instance.len() as u8];
    name.extend_from_slice(instance.as_bytes());
    for label in service.trim_end_matches('.').split('.') {
        if label.is_empty() || label.len() > 63 {
            return None;
        }
        name.push(label.len() as u8);
        name.extend_from_slice(label.as_bytes());
    }
    name.push(0);
    let mut p = vec![0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0];
    p.extend_from_slice(&name);
    p.extend_from_slice(&[0, SRV as u8, 0, 1]);
    p.extend_from_slice(&[0xC0, 12, 0, 16, 0, 1]);
    // The service's name starts after the instance's label.
    let service_at = 12 + 1 + instance.len();
    p.extend_from_slice(&[
        0xC0 | (service_at >> 8) as u8,
        service_at as u8,
        0,
        12,
        0,
        1,
    ]);
    Some(p)
}

/// A one-shot DNS-SD query for the PTR records of `service` (such as
/// `_turnchat._tcp.local.`), with id `id`, to send to port 5353 of one address from
/// another port: a legacy unicast query (RFC 6762 section 6.7), which a responder answers
/// by unicast to the port it came from. `None` for a malformed service name.
pub fn service_query(service: &str, id: u16) -> Option<Vec<u8>> {
    let mut p = id.to_be_bytes().to_vec();
    p.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in service.trim_end_matches('.').split('.') {
        if label.is_empty() || label.len() > 63 {
            return None;
        }
        p.push(label.len() as u8);
        p.extend_from_slice(label.as_bytes());
    }
    p.push(0);
    p.extend_from_slice(&[0, PTR as u8, 0, 1]);
    Some(p)
}

/// The id of a DNS message (0 if too short to have one).
pub fn message_id(packet: &[u8]) -> u16 {
    u16_at(packet, 0).unwrap_or(0)
}

/// The live SRV records in `packet` whose owner ends with `service` (without case), if
/// it is a response: each owner with the port it gives. Bounded as [`srv_owners`] is.
pub fn srv_ports(packet: &[u8], service: &str) -> Vec<(String, u16)> {
    let service = service.to_ascii_lowercase();
    live_records(packet)
        .into_iter()
        .filter(|r| r.rtype == SRV)
        .filter_map(|r| {
            // SRV data: priority, weight, port, target.
            let port = r.data.filter(|d| d.len() >= 7).and_then(|d| u16_at(d, 4))?;
            let owner = r.owner?;
            owner
                .to_ascii_lowercase()
                .ends_with(&service)
                .then_some((owner, port))
        })
        .collect()
}

/// Whether `packet` is a query asking for the PTR records of `service` (without case):
/// what a TurnChat server answers when it comes by unicast from a port other than 5353.
pub fn asks_for_service(packet: &[u8], service: &str) -> bool {
    let Some(flags) = u16_at(packet, 2) else {
        return false;
    };
    if flags & 0x8000 != 0 {
        return false;
    }
    let questions = usize::from(u16_at(packet, 4).unwrap_or(0));
    let mut at = 12;
    for _ in 0..questions.min(MAX_RECORDS) {
        let Some((name, next)) = name_at(packet, at) else {
            return false;
        };
        let qtype = u16_at(packet, next);
        if qtype == Some(PTR) && name.is_some_and(|n| n.eq_ignore_ascii_case(service)) {
            return true;
        }
        at = next + 4;
    }
    false
}

/// Appends `name` (labels joined by `.`) in wire form; `None` if a label is empty or
/// longer than 63 bytes.
fn put_name(p: &mut Vec<u8>, name: &str) -> Option<()> {
    for label in name.trim_end_matches('.').split('.') {
        if label.is_empty() || label.len() > 63 {
            return None;
        }
        p.push(label.len() as u8);
        p.extend_from_slice(label.as_bytes());
    }
    p.push(0);
    Some(())
}

/// What a server says about itself in a unicast answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer<'a> {
    /// The instance name (one label).
    pub instance: &'a str,
    /// The service type (`_turnchat._tcp.local.`).
    pub service: &'a str,
    /// Its host name (`pc.local.`).
    pub host: &'a str,
    /// Its TCP port.
    pub port: u16,
    /// Its TXT record's `key=value` strings.
    pub txt: &'a [String],
    /// Its address on the querier's side.
    pub ip: std::net::Ipv4Addr,
}

/// The legacy unicast answer (RFC 6762 section 6.7) to the query `id` for `service`:
/// the question echoed, the PTR, SRV, TXT and A records, TTLs of 10 s, no cache-flush
/// bit. `None` when a name does not fit DNS.
pub fn legacy_answer(a: &Answer<'_>, id: u16) -> Option<Vec<u8>> {
    let fullname = format!("{}.{}", a.instance, a.service);
    let mut p = id.to_be_bytes().to_vec();
    p.extend_from_slice(&[0x84, 0, 0, 1, 0, 4, 0, 0, 0, 0]);
    put_name(&mut p, a.service)?;
    p.extend_from_slice(&[0, PTR as u8, 0, 1]);
    let ttl = [0, 0, 0, 10];
    let record = |p: &mut Vec<u8>, owner: &str, rtype: u16, data: &[u8]| -> Option<()> {
        put_name(p, owner)?;
        p.extend_from_slice(&rtype.to_be_bytes());
        p.extend_from_slice(&[0, 1]);
        p.extend_from_slice(&ttl);
        p.extend_from_slice(&u16::try_from(data.len()).ok()?.to_be_bytes());
        p.extend_from_slice(data);
        Some(())
    };
    let mut ptr = Vec::new();
    put_name(&mut ptr, &fullname)?;
    record(&mut p, a.service, PTR, &ptr)?;
    let mut srv = vec![0, 0, 0, 0];
    srv.extend_from_slice(&a.port.to_be_bytes());
    put_name(&mut srv, a.host)?;
    record(&mut p, &fullname, SRV, &srv)?;
    let mut txt = Vec::new();
    for s in a.txt {
        txt.push(u8::try_from(s.len()).ok()?);
        txt.extend_from_slice(s.as_bytes());
    }
    if txt.is_empty() {
        txt.push(0);
    }
    record(&mut p, &fullname, TXT, &txt)?;
    record(&mut p, a.host, A, &a.ip.octets())?;
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for label in text.trim_end_matches('.').split('.') {
            out.push(label.len() as u8);
            out.extend_from_slice(label.as_bytes());
        }
        out.push(0);
        out
    }

    fn response(records: &[(Vec<u8>, u16, Vec<u8>)]) -> Vec<u8> {
        let mut p = vec![0, 0, 0x84, 0, 0, 0, 0, records.len() as u8, 0, 0, 0, 0];
        for (owner, rtype, data) in records {
            p.extend_from_slice(owner);
            p.extend_from_slice(&rtype.to_be_bytes());
            p.extend_from_slice(&[0x80, 1, 0, 0, 0, 120]);
            p.extend_from_slice(&(data.len() as u16).to_be_bytes());
            p.extend_from_slice(data);
        }
        p
    }

    #[test]
    fn srv_owners_are_read_with_compression() {
        let owner = name("老师._turnchat._tcp.local.");
        let mut srv = vec![0, 0, 0, 0, 0x22, 0xB8];
        srv.extend_from_slice(&name("pc.local."));
        let ptr = vec![0xC0, 12];
        let mut goodbye = response(&[(owner.clone(), 33, srv.clone())]);
        let n = goodbye.len();
        goodbye[n - srv.len() - 3] = 0;
        assert!(
            srv_owners(&goodbye).is_empty(),
            "a goodbye is not an answer"
        );
        let p = response(&[
            (owner.clone(), 33, srv.clone()),
            (ptr.clone(), 16, vec![0]),
            (ptr, 33, srv),
            (name("pc.local."), 1, vec![10, 0, 0, 1]),
        ]);
        assert_eq!(
            srv_owners(&p),
            ["老师._turnchat._tcp.local.", "老师._turnchat._tcp.local."]
        );
    }

    #[test]
    fn txt_records_of_one_service_are_read_as_pairs() {
        let owner = name("tc-10-0-0-2-1._turnchat-name._tcp.local.");
        let txt: Vec<u8> = {
            let name = "name=李".as_bytes();
            let at = b"at=10.0.0.2:1";
            let mut t = vec![name.len() as u8];
            t.extend_from_slice(name);
            t.push(at.len() as u8);
            t.extend_from_slice(at);
            t.push(4);
            t.extend_from_slice(b"flag");
            t
        };
        let p = response(&[
            (
                name("x._turnchat._tcp.local."),
                16,
                vec![3, b'a', b'=', b'b'],
            ),
            (owner, 16, txt),
        ]);
        let read = txt_records(&p, "_turnchat-name._tcp.local.");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].0, "tc-10-0-0-2-1._turnchat-name._tcp.local.");
        assert_eq!(
            read[0].1,
            [
                ("name".to_owned(), "李".as_bytes().to_vec()),
                ("at".to_owned(), b"10.0.0.2:1".to_vec()),
                ("flag".to_owned(), Vec::new()),
            ]
        );
        // A string that says it is longer than the record ends the reading.
        assert!(txt_pairs(&[5, b'a']).is_empty());
        for cut in 0..p.len() {
            let _ = txt_records(&p[..cut], "_turnchat-name._tcp.local.");
        }
    }

    #[test]
    fn instance_queries_name_the_instance_once() {
        let q = instance_query("王.老师", "_turnchat._tcp.local.").expect("query");
        assert_eq!(&q[..12], &[0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0]);
        let ptr_at = q.len() - 6;
        assert_eq!(
            name_at(&q, ptr_at).map(|(n, _)| n),
            Some(Some("_turnchat._tcp.local.".into()))
        );
        assert_eq!(
            name_at(&q, 12).map(|(n, _)| n),
            Some(Some("王.老师._turnchat._tcp.local.".into()))
        );
        assert_eq!(instance_query("", "_turnchat._tcp.local."), None);
        assert_eq!(
            instance_query(&"x".repeat(64), "_turnchat._tcp.local."),
            None
        );
        // A query is never read as an announcement.
        assert!(srv_owners(&q).is_empty());
    }

    #[test]
    fn queries_and_broken_packets_give_nothing_and_never_loop() {
        let owner = name("a._turnchat._tcp.local.");
        let mut query = response(&[(owner, 33, vec![0; 6])]);
        query[2] = 0;
        assert!(srv_owners(&query).is_empty());
        assert!(srv_owners(&[]).is_empty());
        assert!(srv_owners(&[0, 0, 0x84]).is_empty());
        // A pointer to itself, and one past the end.
        let looped = response(&[(vec![0xC0, 12], 33, vec![])]);
        assert!(srv_owners(&looped).is_empty());
        let past = response(&[(vec![0xC0, 0xFF], 33, vec![])]);
        assert!(srv_owners(&past).is_empty());
        // A record that says it is longer than the packet.
        let mut long = response(&[(name("x.local."), 33, vec![1, 2])]);
        let n = long.len();
        long[n - 3] = 0xFF;
        assert!(srv_owners(&long).len() <= 1);
        // Every prefix of a good packet, and every byte changed: no panic.
        let good = response(&[(name("b._turnchat._tcp.local."), 33, vec![0; 8])]);
        for cut in 0..good.len() {
            let _ = srv_owners(&good[..cut]);
        }
        for i in 0..good.len() {
            for v in [0x00, 0x3F, 0xC0, 0xFF] {
                let mut bad = good.clone();
                bad[i] = v;
                let _ = srv_owners(&bad);
            }
        }
    }

    #[test]
    fn a_service_query_and_its_legacy_answer_read_back() {
        let q = service_query("_turnchat._tcp.local.", 0xBEEF).expect("query");
        assert_eq!(message_id(&q), 0xBEEF);
        assert!(asks_for_service(&q, "_TurnChat._tcp.local."));
        assert!(!asks_for_service(&q, "_other._tcp.local."));
        assert!(service_query("_bad..local.", 1).is_none());
        let txt = vec!["proto=1".to_owned(), "enc=GBK".to_owned()];
        let answer = Answer {
            instance: "王老师",
            service: "_turnchat._tcp.local.",
            host: "teacher-pc.local.",
            port: 8888,
            txt: &txt,
            ip: std::net::Ipv4Addr::new(10, 0, 0, 2),
        };
        let p = legacy_answer(&answer, 0xBEEF).expect("answer");
        assert_eq!(message_id(&p), 0xBEEF);
        assert!(!asks_for_service(&p, "_turnchat._tcp.local."), "an answer");
        assert_eq!(
            srv_ports(&p, "_turnchat._tcp.local."),
            [("王老师._turnchat._tcp.local.".to_owned(), 8888)]
        );
        assert!(srv_ports(&p, "_other._tcp.local.").is_empty());
        let read = txt_records(&p, "_turnchat._tcp.local.");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].1[1], ("enc".to_owned(), b"GBK".to_vec()));
        // A name longer than a label does not fit.
        let long = "x".repeat(64);
        assert!(
            legacy_answer(
                &Answer {
                    instance: &long,
                    ..answer.clone()
                },
                1
            )
            .is_none()
        );
        // Cut anywhere, nothing panics and nothing past the cut is read.
        for n in 0..p.len() {
            let _ = srv_ports(&p[..n], "_turnchat._tcp.local.");
            let _ = asks_for_service(&p[..n], "_turnchat._tcp.local.");
        }
    }
}
